package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.testing.CliRun;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28 point 2: {@code statefort trust ...}, the CLI twin of the trust-policy API, through the same use case and audit. */
class TrustCommandTest {
    @TempDir
    Path dir;

    @Test
    void createListShowAndDeleteArePoliciesAndAuditEventsLikeTheApis() throws Exception {
        Path config = dir.resolve("statefort.properties");
        Files.writeString(
                config,
                "data-dir=" + dir.resolve("data") + "\n"
                        + "oidc.github.issuer=https://token.actions.githubusercontent.com\n"
                        + "oidc.github.audience=https://state.example.com\n");
        String c = config.toString();
        assertThat(CliRun.run("project", "create", "infra", "--config", c).code())
                .isZero();

        CliRun.Result created = CliRun.run(
                "trust",
                "create",
                "--project",
                "infra",
                "--name",
                "deploy-main",
                "--issuer",
                "github",
                "--claim",
                "repository=acme/infra",
                "--claim",
                "ref=refs/heads/main",
                "--permission",
                "write",
                "--states",
                "prod-*",
                "--config",
                c);
        assertThat(created.code()).as(created.err()).isZero();
        String id = created.out().trim().substring(created.out().trim().lastIndexOf(' ') + 1);

        CliRun.Result listed = CliRun.run("trust", "list", "--project", "infra", "--config", c);
        assertThat(listed.out()).contains("deploy-main").contains("prod-*").contains("refs/heads/main");
        assertThat(CliRun.run("trust", "show", "--project", "infra", "--id", id, "--config", c)
                        .out())
                .contains("repository=acme/infra");

        CliRun.Result unknown = CliRun.run(
                "trust",
                "create",
                "--project",
                "infra",
                "--name",
                "x",
                "--issuer",
                "gitlab",
                "--claim",
                "ref=main",
                "--permission",
                "read",
                "--config",
                c);
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("'gitlab'");

        assertThat(CliRun.run("trust", "delete", "--project", "infra", "--id", id, "--config", c)
                        .code())
                .isZero();
        try (StatefortNode node = StatefortNode.open(ConfigLoader.load(Map.of(), Map.of(), config))) {
            List<TrustPolicy> left = node.metadata().access().listTrustPolicies("infra");
            assertThat(left).isEmpty();
            List<AuditEvent> events =
                    node.project().audit().list(new AuditQuery("infra", null, null, null, null, null, 100, null));
            assertThat(events).extracting(AuditEvent::action).contains("trust.policy.create", "trust.policy.delete");
            assertThat(events).filteredOn(e -> e.action().startsWith("trust.")).allMatch(e -> e.principal()
                    .startsWith("cli:"));
        }
    }
}
