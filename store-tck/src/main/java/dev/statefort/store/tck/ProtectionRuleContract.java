package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProtectionRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protection rules (issue 29): numbered per project, listed by number, deleted. A group of {@link MetadataStoreContract}. */
public abstract class ProtectionRuleContract extends MetadataStoreContractGroup {
    private static ProtectionRule draft(String id, String project, String states) {
        return new ProtectionRule(
                id, project, 0, states, List.of("deploy-main"), List.of("tok-1", "tok-2"), "user:alice", T0);
    }

    @Test
    void rulesAreNumberedPerProjectListedByNumberAndDeleted() {
        state("s");
        ProtectionRule first = access().createProtectionRule(draft("r1", PROJECT, "prod-*"));
        ProtectionRule second = access().createProtectionRule(draft("r2", PROJECT, "network"));
        assertThat(first)
                .isEqualTo(new ProtectionRule(
                                "r1",
                                PROJECT,
                                1,
                                "prod-*",
                                List.of("deploy-main"),
                                List.of("tok-1", "tok-2"),
                                "user:alice",
                                T0)
                        .withMillis());
        assertThat(second.number()).isEqualTo(2);
        assertThat(access().listProtectionRules(PROJECT)).containsExactly(first, second);

        assertThat(access().deleteProtectionRule("other", "r1")).isFalse();
        assertThat(access().deleteProtectionRule(PROJECT, "r1")).isTrue();
        assertThat(access().deleteProtectionRule(PROJECT, "r1")).isFalse();
        assertThat(access().listProtectionRules(PROJECT)).containsExactly(second);
        assertThat(access().createProtectionRule(draft("r3", PROJECT, "x")).number())
                .isEqualTo(3);
    }

    @Test
    void rulesCreatedAtOnceGetDistinctNumbers() throws Exception {
        state("s");
        List<Integer> numbers = runConcurrently(4, i -> access().createProtectionRule(draft("c" + i, PROJECT, "s-" + i))
                .number());
        assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void aRuleNeedsItsProjectAndAnUnusedId() {
        assertThatThrownBy(() -> access().createProtectionRule(draft("r1", "missing", "*")))
                .isInstanceOf(ProjectNotFoundException.class);
        state("s");
        access().createProtectionRule(draft("r1", PROJECT, "*"));
        assertThatThrownBy(() -> access().createProtectionRule(draft("r1", PROJECT, "*")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(access().listProtectionRules("missing")).isEmpty();
    }
}
