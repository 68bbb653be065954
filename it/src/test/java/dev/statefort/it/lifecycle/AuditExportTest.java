package dev.statefort.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: {@code statefort audit export --output FILE} (run through the jar next to the running server) writes one
 * JSON object per line with who, from where, what and how it ended, and never any state content.
 */
class AuditExportTest {
    @TempDir
    Path dir;

    StatefortProcess server;

    @BeforeEach
    void startServer() {
        server = StatefortProcess.start(dir.resolve("server"), "AuditExportTest");
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void exportWritesOneJsonObjectPerEventWithPrincipalSourceIpAndOutcomeButNoStateContent() throws IOException {
        String marker = "audit-marker-" + UUID.randomUUID();
        String token = server.createToken("default", "write", "audit-it");
        StatefortClient writer = server.client(token).withBasicAuth();
        String path = StatefortClient.statePath("default", "audited");
        String lineage = UUID.randomUUID().toString();
        String lockId = Fixtures.newLockId();
        assertThat(lock(writer, "LOCK", path, lockId).status()).isEqualTo(200);
        Response write = writer.write(path, Fixtures.terraformState(1, lineage, marker), lockId);
        assertThat(write.status()).as("%s", write).isEqualTo(200);
        String otherId = Fixtures.newLockId();
        assertThat(lock(writer, "LOCK", path, otherId).status())
                .as("a second LOCK is refused")
                .isEqualTo(423);
        Response refused = writer.write(path, Fixtures.terraformState(2, lineage, marker + "-refused"), null);
        assertThat(refused.status())
                .as("an unlocked write while locked: %s", refused)
                .isEqualTo(423);
        assertThat(lock(writer, "UNLOCK", path, lockId).status()).isEqualTo(200);
        assertThat(writer.write(path, Fixtures.terraformState(2, lineage, marker + "-2"), null)
                        .status())
                .isEqualTo(200);
        Path exported = dir.resolve("audit.jsonl");

        CliResult result = server.cli("audit", "export", "--output", exported.toString());

        result.requireSuccess();
        List<JsonNode> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(exported, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = StatefortClient.JSON.readTree(line);
            assertThat(event.isObject()).as("a JSON object per line: %s", line).isTrue();
            for (String field : List.of("at", "principal", "sourceIp", "action", "outcome")) {
                assertThat(event.has(field)).as("%s in %s", field, line).isTrue();
            }
            Instant.parse(event.path("at").asText());
            assertThat(event.path("principal").asText()).as("%s", line).isNotBlank();
            assertThat(event.path("action").asText()).as("%s", line).isNotBlank();
            assertThat(event.path("outcome").asText()).as("%s", line).isNotBlank();
            assertThat(line).as("no state content in the audit log").doesNotContain(marker);
            events.add(event);
        }
        assertThat(result.stdout()).contains("wrote " + events.size() + " audit events");

        List<JsonNode> backend = events.stream()
                .filter(e -> "audited".equals(e.path("state").asText()))
                .toList();
        Set<String> actions = backend.stream()
                .map(e -> e.path("action").asText() + "/" + e.path("outcome").asText())
                .collect(Collectors.toSet());
        assertThat(actions)
                .as("successes and refusals of the backend actions are told apart: %s", lines)
                .contains(
                        "lock.acquire/ok",
                        "lock.acquire/refused",
                        "state.write/ok",
                        "state.write/refused",
                        "lock.release/ok");
        for (JsonNode event : backend) {
            assertThat(event.path("sourceIp").asText())
                    .as("HTTP actions record the client address: %s", event)
                    .isEqualTo("127.0.0.1");
            assertThat(event.path("principal").asText()).as("%s", event).startsWith("token:");
        }
        assertThat(events.stream()
                        .filter(e -> "token.create".equals(e.path("action").asText()))
                        .toList())
                .as("the CLI's token create is audited without a source address")
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("sourceIp").isNull()).isTrue());
        assertThat(events.stream()
                        .map(e -> Instant.parse(e.path("at").asText()))
                        .toList())
                .as("oldest first")
                .isSorted();
    }

    private static Response lock(StatefortClient client, String method, String path, String id) {
        return client.send(method, path + "/lock", Fixtures.lockInfo(id), "Content-Type", "application/json");
    }
}
