package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29: {@code statefort protect ...} and {@code statefort freeze ...}, the CLI twins of the
 * protection-rule and freeze APIs, through the same use cases and audit events.
 */
class LockPolicyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void protectionRulesAndFreezesFromTheCommandLine() throws Exception {
        Path config = dir.resolve("statefort.properties");
        Files.writeString(config, "data-dir=" + dir.resolve("data") + "\n");
        String c = config.toString();
        assertThat(CliRun.run("project", "create", "infra", "--config", c).code())
                .isZero();

        CliRun.Result nobody =
                CliRun.run("protect", "create", "--project", "infra", "--states", "prod-*", "--config", c);
        assertThat(nobody.code()).isNotZero();
        assertThat(nobody.err()).contains("at least one identity");
        CliRun.Result created = CliRun.run(
                "protect",
                "create",
                "--project",
                "infra",
                "--states",
                "prod-*",
                "--allow-token",
                "tok1",
                "--config",
                c);
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("protection rule 1 created");
        assertThat(CliRun.run("protect", "list", "--project", "infra", "--config", c)
                        .out())
                .contains("prod-*")
                .contains("token tok1");

        CliRun.Result frozen = CliRun.run(
                "freeze",
                "set",
                "--project",
                "infra",
                "--state",
                "dev-db",
                "--reason",
                "release 42 in progress",
                "--until",
                "2099-01-01T00:00:00Z",
                "--config",
                c);
        assertThat(frozen.code()).as(frozen.err()).isZero();
        assertThat(CliRun.run("freeze", "list", "--project", "infra", "--config", c)
                        .out())
                .contains("dev-db")
                .contains("release 42 in progress");
        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(Map.of(), Map.of(), config))) {
            LockInfo apply = LockInfo.parse("{\"ID\":\"a\"}".getBytes(StandardCharsets.UTF_8));
            LockResult refused =
                    node.state().locks().lock(Cli.principal(), new StateKey("infra", "dev-db"), apply.json());
            assertThat(((LockResult.HeldBy) refused).holder().kind()).isEqualTo(LockRecord.Kind.FREEZE);
        }

        assertThat(CliRun.run("freeze", "lift", "--project", "infra", "--state", "dev-db", "--config", c)
                        .code())
                .isZero();
        assertThat(CliRun.run("protect", "delete", "--project", "infra", "--rule", "1", "--config", c)
                        .code())
                .isZero();
        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(Map.of(), Map.of(), config))) {
            assertThat(node.metadata().access().listProtectionRules("infra")).isEmpty();
            assertThat(node.metadata().listFreezes("infra")).isEmpty();
            List<AuditEvent> events =
                    node.project().audit().list(new AuditQuery("infra", null, null, null, null, null, 100, null));
            assertThat(events)
                    .extracting(AuditEvent::action)
                    .contains("protection.rule.create", "protection.rule.delete", "freeze.set", "freeze.lift");
            assertThat(events)
                    .filteredOn(e -> e.action().startsWith("protection.rule")
                            || e.action().startsWith("freeze"))
                    .allMatch(e -> e.principal().startsWith("cli:"));
        }
    }
}
