package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.EnvironmentMasterKeySource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code statefort keys generate-master}: one line that {@code STATEFORT_MASTER_KEY} takes as it is. */
class GenerateMasterKeyTest {
    @Test
    void printsANewMasterKeyEveryNodeCanBeGiven() {
        String first = run();
        String second = run();
        assertThat(first).doesNotContain("\n").isNotEqualTo(second);
        assertThat(new EnvironmentMasterKeySource(first).load().keyCount()).isEqualTo(1);
    }

    private static String run() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(StatefortCli.run("keys", "generate-master")).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
