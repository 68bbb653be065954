package dev.statefort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
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
            List<AuditEvent> events =
                    node.audit().list(new AuditQuery("infra", null, null, "project.create", null, null, 100, null));
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().principal()).isEqualTo("cli:" + System.getProperty("user.name"));
            assertThat(node.projects().find("infra")).isPresent();
        }
    }
}
