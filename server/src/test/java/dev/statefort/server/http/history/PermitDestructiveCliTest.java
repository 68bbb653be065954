package dev.statefort.server.http.history;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.cli.StatefortCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Issue 4, point 8: {@code statefort state permit-destructive} grants the window, so a destroy passes under enforce. */
class PermitDestructiveCliTest extends HistoryApiFixture {

    @Test
    void theCliPermitLetsADestroyPassUnderEnforce() {
        settings("{\"guard\":\"enforce\"}");
        written("app", TestStates.withResources(10, 3));
        String destroyed = TestStates.withResources(11, 0);
        assertThat(write("app", destroyed).status()).isEqualTo(409);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, UTF_8));
            exit = StatefortCli.run(
                    "state",
                    "permit-destructive",
                    "--data-dir",
                    tmp.resolve("data").toString(),
                    "--project",
                    "default",
                    "--state",
                    "app",
                    "--minutes",
                    "15");
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        assertThat(out.toString(UTF_8)).contains("default/app").contains("allowed until");

        assertThat(write("app", destroyed).status()).isEqualTo(200);
        assertThat(versionNumbers("app")).containsExactly(2L, 1L);
        assertThat(audit("state.permit-destructive"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("principal").asText()).startsWith("cli:"));
    }

    @Test
    void theCliRefusesAnUnknownProject() {
        int exit = StatefortCli.run(
                "state",
                "permit-destructive",
                "--data-dir",
                tmp.resolve("data").toString(),
                "--project",
                "nope",
                "--state",
                "app");
        assertThat(exit).isEqualTo(1);
    }
}
