package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4, point 5: per-project retention, and deleting a state with its history. */
class RetentionApiTest extends HistoryApiFixture {

    @Test
    void projectSettingsDefaultToKeepingTheNewest100VersionsAndNoAgeRule() {
        JsonNode settings = getJson("/settings");
        assertThat(settings.path("keepVersions").asInt()).isEqualTo(100);
        assertThat(settings.path("keepDays").isNull()).isTrue();
        assertThat(settings.path("guard").asText()).isEqualTo("warn");
        assertThat(settings.path("guardRemovalPercent").asInt()).isEqualTo(50);
        assertThat(settings.path("lockStaleMinutes").asInt()).isEqualTo(60);
        assertThat(settings.path("lockAutoExpireMinutes").isNull()).isTrue();
    }

    @Test
    void settingsRejectBadValuesWith400AndChangesNeedAdmin() {
        Response bad = putSettings("{\"keepVersions\":0}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).contains("keepVersions");
        assertThat(putSettings("{\"guard\":\"sometimes\"}").status()).isEqualTo(400);
        assertThat(putSettings("{\"noSuchSetting\":1}").status()).isEqualTo(400);
        assertThat(server.send("PUT", API + "/settings", "{\"keepVersions\":5}", writer)
                        .status())
                .isEqualTo(403);
        assertThat(getJson("/settings").path("keepVersions").asInt()).isEqualTo(100);
        assertThat(audit("project.settings")).isEmpty();
    }

    @Test
    void keepVersionsPrunesTheOldestOnWriteWithTheirBlobs() {
        settings("{\"keepVersions\":3}");
        List<String> blobs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            written("kept", state(i).json());
            blobs.add(record("kept", i).blobKey());
        }
        assertThat(versionNumbers("kept")).containsExactly(3L, 2L, 1L);

        written("kept", state(4).json());
        assertThat(versionNumbers("kept")).containsExactly(4L, 3L, 2L);
        written("kept", state(5).json());
        assertThat(versionNumbers("kept")).containsExactly(5L, 4L, 3L);
        assertThat(server.node().rawBlobs().exists(blobs.get(0))).isFalse();
        assertThat(server.node().rawBlobs().exists(blobs.get(1))).isFalse();
        assertThat(server.node().rawBlobs().exists(blobs.get(2))).isTrue();
        assertThat(get("/states/kept/versions/1/content", reader).status()).isEqualTo(404);
        assertThat(audit("project.settings")).hasSize(1);
    }

    @Test
    void keepingOneVersionNeverPrunesTheCurrentOne() {
        settings("{\"keepVersions\":1}");
        for (int i = 1; i <= 4; i++) {
            written("one", state(i).json());
            assertThat(versionNumbers("one")).containsExactly((long) i);
        }
        assertThat(currentSerial("one")).isEqualTo(4);
        // a restore is a write too: it prunes, but keeps what it wrote
        assertThat(post("/states/one/versions/4/restore", null, admin).status()).isEqualTo(200);
        assertThat(versionNumbers("one")).containsExactly(5L);
        assertThat(currentSerial("one")).isEqualTo(5);
    }

    @Test
    void keepDaysKeepsRecentVersionsBeyondKeepVersions() {
        settings("{\"keepVersions\":1,\"keepDays\":10}");
        written("aged", state(1).json());
        clock.advance(Duration.ofDays(2));
        written("aged", state(2).json());
        clock.advance(Duration.ofDays(2));
        written("aged", state(3).json());
        // all three are younger than 10 days: kept although keepVersions is 1
        assertThat(versionNumbers("aged")).containsExactly(3L, 2L, 1L);

        clock.advance(Duration.ofDays(7)); // version 1 is now 11 days old, version 2 nine
        written("aged", state(4).json());
        assertThat(versionNumbers("aged")).containsExactly(4L, 3L, 2L);

        clock.advance(Duration.ofDays(30));
        written("aged", state(5).json());
        assertThat(versionNumbers("aged")).containsExactly(5L);
    }

    @Test
    void deletingAStateDeletesItsHistoryAndBlobsAndNeedsAdmin() {
        written("doomed", state(1).json());
        written("doomed", state(2).json());
        List<String> blobs =
                List.of(record("doomed", 1).blobKey(), record("doomed", 2).blobKey());

        assertThat(delete("/states/doomed", writer).status()).isEqualTo(403);
        assertThat(versionNumbers("doomed")).hasSize(2);

        assertThat(delete("/states/doomed", admin).status()).isEqualTo(204);
        assertThat(audit("state.delete")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("blobs").asInt())
                .isEqualTo(2));
        assertThat(server.send("GET", "/tf/default/doomed", null, reader).status())
                .isEqualTo(404);
        assertThat(get("/states/doomed/versions/1", reader).status()).isEqualTo(404);
        assertThat(getJson("/states").path("items")).isEmpty();
        blobs.forEach(b -> assertThat(server.node().rawBlobs().exists(b)).isFalse());
        assertThat(delete("/states/doomed", admin).status()).isEqualTo(404);

        // a new state of that name starts a fresh history
        written("doomed", state(1).json());
        assertThat(versionNumbers("doomed")).hasSize(1);
    }

    @Test
    void deletingALockedStateIsRefusedWith423() {
        written("held", state(1).json());
        assertThat(lock("held", "apply-9", writer).status()).isEqualTo(200);
        Response refused = delete("/states/held", admin);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().path("holder").path("id").asText()).isEqualTo("apply-9");
        assertThat(versionNumbers("held")).hasSize(1);
    }
}
