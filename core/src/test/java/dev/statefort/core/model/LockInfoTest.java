package dev.statefort.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LockInfoTest {
    private static final String TERRAFORM_LOCK_INFO =
            "{\"ID\":\"78479823-c45d-cf13-77f3-cd81c86e8a42\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\","
                    + "\"Who\":\"root@vm\",\"Version\":\"1.11.4\",\"Created\":\"2026-11-22T02:47:00.707648978Z\",\"Path\":\"\"}";

    @Test
    void readsIdAndOperationAndKeepsTheExactBytes() {
        byte[] bytes = TERRAFORM_LOCK_INFO.getBytes(StandardCharsets.UTF_8);
        LockInfo info = LockInfo.parse(bytes);
        assertThat(info.id()).isEqualTo("78479823-c45d-cf13-77f3-cd81c86e8a42");
        assertThat(info.operation()).isEqualTo("OperationTypeApply");
        assertThat(info.json()).isEqualTo(bytes);
    }

    @Test
    void rejectsLockInfoWithoutIdOrNotAnObject() {
        assertThatThrownBy(() -> LockInfo.parse("{\"ID\":\"\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> LockInfo.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> LockInfo.parse("{\"ID\":\"x\"} trailing".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void whoAndOtherTextFieldsAreReadFromTheStoredBytes() {
        LockInfo info = LockInfo.parse(TERRAFORM_LOCK_INFO.getBytes(StandardCharsets.UTF_8));
        assertThat(info.who()).isEqualTo("root@vm");
        assertThat(info.textField("Version")).isEqualTo("1.11.4");
        assertThat(info.textField("Info")).isEmpty();
        assertThat(info.textField("Missing")).isNull();

        LockInfo odd = LockInfo.parse("{\"ID\":\"x\",\"Who\":{\"nested\":\"no\"},\"Info\":[\"a\"],\"Path\":\"p\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(odd.who()).as("not a string").isNull();
        assertThat(odd.textField("Info")).isNull();
        assertThat(odd.textField("Path"))
                .as("found after skipping nested values")
                .isEqualTo("p");
        assertThat(LockInfo.of("not json".getBytes(StandardCharsets.UTF_8), "x", null)
                        .who())
                .isNull();
    }
}
