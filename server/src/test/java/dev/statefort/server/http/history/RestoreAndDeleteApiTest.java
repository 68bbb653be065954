package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4, points 3 and 4: restoring a version and deleting one. */
class RestoreAndDeleteApiTest extends HistoryApiFixture {

    @Test
    void restoreWritesTheContentOfNAsANewVersionWithTheNextSerial() {
        written(
                "r",
                state(5).resource("a", "first", false).output("o", "one", false).json());
        written("r", state(6).resource("b", "second", false).json());
        written("r", state(9).json());

        Response restored = post("/states/r/versions/1/restore", null, admin);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().path("number").asLong()).isEqualTo(4);
        assertThat(restored.json().path("serial").asLong()).isEqualTo(10);
        assertThat(versionNumbers("r")).containsExactly(4L, 3L, 2L, 1L);

        JsonNode current = server.send("GET", "/tf/default/r", null, reader).json();
        assertThat(current.path("serial").asLong()).isEqualTo(10);
        JsonNode original = get("/states/r/versions/1/content", reader).json();
        // everything but the serial is version 1's
        ((com.fasterxml.jackson.databind.node.ObjectNode) original).put("serial", 10);
        assertThat(current).isEqualTo(original);
        assertThat(getJson("/states/r/diff?from=1&to=4").path("changes").path("resourcesChanged"))
                .isEmpty();
    }

    @Test
    void restoreOfAnOpaqueBodyKeepsItsBytes() {
        written("enc", TestStates.ENCRYPTED);
        written("enc", state(4).json());

        Response restored = post("/states/enc/versions/1/restore", null, admin);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(server.send("GET", "/tf/default/enc", null, reader).body()).isEqualTo(TestStates.ENCRYPTED);
        assertThat(restored.json().path("sha256").asText())
                .isEqualTo(getJson("/states/enc/versions/1").path("sha256").asText());
    }

    @Test
    void restoreIsRefusedWith423WhileLockedBySomeoneElse() {
        written("busy", state(1).json());
        written("busy", state(2).json());
        assertThat(lock("busy", "apply-1", writer).status()).isEqualTo(200);

        Response refused = post("/states/busy/versions/1/restore", null, admin);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().path("error").path("status").asInt()).isEqualTo(423);
        assertThat(refused.json().path("holder").path("id").asText()).isEqualTo("apply-1");
        assertThat(versionNumbers("busy")).containsExactly(2L, 1L);

        assertThat(unlock("busy", "apply-1").status()).isEqualTo(200);
        assertThat(post("/states/busy/versions/1/restore", null, admin).status())
                .isEqualTo(200);
    }

    @Test
    void restoreIsAuditedAndNeedsAdmin() {
        written("aud", state(1).json());
        written("aud", state(2).json());

        assertThat(post("/states/aud/versions/1/restore", null, writer).status())
                .isEqualTo(403);
        assertThat(audit("version.restore")).isEmpty();
        assertThat(post("/states/aud/versions/1/restore", null, admin).status()).isEqualTo(200);

        List<JsonNode> events = audit("version.restore");
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("state").asText()).isEqualTo("aud");
        assertThat(event.path("principal").asText()).isNotBlank();
        assertThat(event.path("detail").path("restored").asLong()).isEqualTo(1);
        assertThat(event.path("detail").path("newVersion").asLong()).isEqualTo(3);
    }

    @Test
    void deleteVersionRemovesTheRowAndTheBlob() {
        written("del", state(1).output("leak", "AKIA-oops", false).json());
        written("del", state(2).json());
        String blobKey = record("del", 1).blobKey();
        assertThat(server.node().rawBlobs().exists(blobKey)).isTrue();

        assertThat(delete("/states/del/versions/1", writer).status()).isEqualTo(403);
        Response deleted = delete("/states/del/versions/1", admin);
        assertThat(deleted.status()).isEqualTo(204);

        assertThat(versionNumbers("del")).containsExactly(2L);
        assertThat(get("/states/del/versions/1", reader).status()).isEqualTo(404);
        assertThat(get("/states/del/versions/1/content", reader).status()).isEqualTo(404);
        assertThat(server.node().rawBlobs().exists(blobKey)).isFalse();
        assertThat(audit("version.delete")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("version").asLong())
                .isEqualTo(1));
        assertThat(delete("/states/del/versions/1", admin).status()).isEqualTo(404);
    }

    @Test
    void deleteVersionRefusesTheCurrentVersion() {
        written("cur", state(1).json());
        written("cur", state(2).json());
        String blobKey = record("cur", 2).blobKey();

        Response refused = delete("/states/cur/versions/2", admin);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").path("message").asText()).contains("current version");
        assertThat(versionNumbers("cur")).containsExactly(2L, 1L);
        assertThat(server.node().rawBlobs().exists(blobKey)).isTrue();
        assertThat(currentSerial("cur")).isEqualTo(2);
    }
}
