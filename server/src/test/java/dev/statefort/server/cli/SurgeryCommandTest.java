package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code statefort state surgery}: the CLI twin of the surgery API, through the same use case and audit events. */
class SurgeryCommandTest {
    @TempDir
    Path dir;

    private static String state(String lineage, String... names) {
        StringBuilder resources = new StringBuilder();
        for (String n : names) {
            resources
                    .append(resources.isEmpty() ? "" : ",")
                    .append("{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"" + n + "\","
                            + "\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{"
                            + "\"schema_version\":0,\"attributes\":{\"id\":\"" + n + "-id\"}}]}");
        }
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":1,\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[" + resources + "]}";
    }

    @Test
    void surgeryFromTheCommandLine() throws Exception {
        Path config = dir.resolve("statefort.properties");
        Files.writeString(config, "data-dir=" + dir.resolve("data") + "\n");
        String c = config.toString();
        assertThat(CliRun.run("project", "create", "infra", "--config", c).code())
                .isZero();
        Map<String, String> settings = Map.of("data-dir", dir.resolve("data").toString());
        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(settings, Map.of(), null))) {
            Principal admin = new Principal("test", null, Permission.ADMIN);
            for (String[] s : new String[][] {{"app", "web", "db"}, {"data", "cache"}}) {
                byte[] body = state(s[0], java.util.Arrays.copyOfRange(s, 1, s.length))
                        .getBytes(StandardCharsets.UTF_8);
                node.state()
                        .states()
                        .write(WriteRequest.of(
                                new StateKey("infra", s[0]), new ByteArrayInputStream(body), body.length, admin));
            }
        }

        CliRun.Result dry = CliRun.run(
                "state",
                "surgery",
                "--project",
                "infra",
                "--state",
                "app",
                "--mv",
                "terraform_data.db@data",
                "--dry-run",
                "--config",
                c);
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out())
                .contains(
                        "infra/app: version 1 -> (dry run), serial 2",
                        "  - terraform_data.db",
                        "infra/data: version 1 -> (dry run)",
                        "  + terraform_data.db");

        CliRun.Result done = CliRun.run(
                "state",
                "surgery",
                "--project",
                "infra",
                "--state",
                "app",
                "--mv",
                "terraform_data.db@data",
                "--mv",
                "terraform_data.web=terraform_data.frontend",
                "--config",
                c);
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("infra/app: version 1 -> 2", "  + terraform_data.frontend");
        assertThat(CliRun.run(
                                "state",
                                "surgery",
                                "--project",
                                "infra",
                                "--state",
                                "app",
                                "--rm",
                                "terraform_data.nope",
                                "--config",
                                c)
                        .code())
                .isNotZero();

        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(settings, Map.of(), null))) {
            assertThat(node.metadata()
                            .headVersion(new StateKey("infra", "data"))
                            .orElseThrow()
                            .number())
                    .isEqualTo(2);
            assertThat(node.metadata().listAudit(new AuditQuery("infra", null, "state.surgery", 10, null)))
                    .hasSize(2)
                    .allSatisfy(e -> assertThat(e.principal()).startsWith("cli:"));
        }
    }
}
