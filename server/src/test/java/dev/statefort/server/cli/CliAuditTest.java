package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 point 11: a change made with the CLI is audited exactly as the same change through the REST API. */
class CliAuditTest {
    @TempDir
    Path dir;

    @Test
    void projectCreateIsAuditedAsProjectCreateByTheCliUser() {
        Path data = dir.resolve("data");
        assertThat(StatefortCli.run("project", "create", "infra", "--data-dir", data.toString()))
                .isZero();
        assertThat(StatefortCli.run("project", "create", "infra", "--data-dir", data.toString()))
                .as("a second create is a conflict")
                .isNotZero();

        try (StatefortNode node =
                StatefortNode.open(ConfigLoader.load(Map.of("data-dir", data.toString()), Map.of(), null))) {
            List<AuditEvent> events = node.project()
                    .audit()
                    .list(new AuditQuery("infra", null, null, "project.create", null, null, 100, null));
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().principal()).isEqualTo("cli:" + System.getProperty("user.name"));
            assertThat(node.project().projects().find("infra")).isPresent();
        }
    }

    @Test
    void userMemberAndTokenCommandsAreAuditedThroughTheSameUseCasesAsTheRestApi() throws Exception {
        Path data = dir.resolve("data");
        String d = data.toString();
        assertThat(StatefortCli.run("project", "create", "infra", "--data-dir", d))
                .isZero();
        assertThat(StatefortCli.run("user", "create", "alice", "--data-dir", d)).isZero();
        assertThat(StatefortCli.run(
                        "member", "add", "--project", "infra", "--user", "alice", "--role", "writer", "--data-dir", d))
                .isZero();
        assertThat(StatefortCli.run(
                        "token",
                        "create",
                        "--project",
                        "infra",
                        "--permission",
                        "read",
                        "--state",
                        "net",
                        "--data-dir",
                        d))
                .isZero();
        String tokenId;
        try (StatefortNode node = open(data)) {
            tokenId = node.access().tokens().list().stream()
                    .filter(t -> "net".equals(t.state()))
                    .findFirst()
                    .orElseThrow()
                    .id();
        }
        assertThat(StatefortCli.run("token", "revoke", tokenId, "--data-dir", d))
                .isZero();
        assertThat(StatefortCli.run("token", "revoke", tokenId, "--data-dir", d))
                .as("revoked already: the use case's 404")
                .isNotZero();
        assertThat(StatefortCli.run("member", "remove", "--project", "infra", "--user", "alice", "--data-dir", d))
                .isZero();
        assertThat(StatefortCli.run("member", "remove", "--project", "infra", "--user", "alice", "--data-dir", d))
                .as("not a member any more")
                .isNotZero();
        assertThat(StatefortCli.run("user", "set-password", "alice", "--data-dir", d))
                .isZero();
        assertThat(StatefortCli.run("user", "delete", "alice", "--data-dir", d)).isZero();

        try (StatefortNode node = open(data)) {
            String cli = "cli:" + System.getProperty("user.name");
            List<AuditEvent> events =
                    node.project().audit().list(new AuditQuery(null, null, cli, null, null, null, 100, null));
            assertThat(events).allSatisfy(e -> assertThat(e.principal()).isEqualTo(cli));
            assertThat(events.reversed())
                    .extracting(AuditEvent::action)
                    .containsExactly(
                            "project.create",
                            "user.create",
                            "member.put",
                            "token.create",
                            "token.revoke",
                            "member.remove",
                            "user.password",
                            "user.delete");
            AuditEvent created = only(events, "token.create");
            assertThat(created.project()).isEqualTo("infra");
            assertThat(created.state()).isEqualTo("net");
            assertThat(created.detail())
                    .as("the same detail as the REST API's token.create, the owner included")
                    .isEqualTo("{\"token\":\"" + tokenId + "\",\"permission\":\"read\",\"owner\":\"project:infra\"}");
            AuditEvent revoked = only(events, "token.revoke");
            assertThat(revoked.project())
                    .as("the revoked token's project, as the REST API records it")
                    .isEqualTo("infra");
            assertThat(revoked.state()).isEqualTo("net");
            assertThat(only(events, "member.put").detail())
                    .contains("\"user\":\"alice\"")
                    .contains("\"role\":\"writer\"");
        }
    }

    private static AuditEvent only(List<AuditEvent> events, String action) {
        return events.stream()
                .filter(e -> e.action().equals(action))
                .reduce((a, b) -> {
                    throw new AssertionError("two " + action + " events");
                })
                .orElseThrow(() -> new AssertionError("no " + action + " event"));
    }

    private static StatefortNode open(Path data) {
        return StatefortNode.open(ConfigLoader.load(Map.of("data-dir", data.toString()), Map.of(), null));
    }
}
