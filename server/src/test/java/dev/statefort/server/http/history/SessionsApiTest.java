package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4, point 6: versions written under one lock ID form an apply session; revert restores the one before. */
class SessionsApiTest extends HistoryApiFixture {

    @Test
    void writesUnderOneLockIdFormOneSessionWithIntermediateSnapshotsMarked() {
        written("s", state(1).json()); // no lock: no session
        assertThat(lock("s", "apply-A", writer).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        assertThat(write("s", state(2).json(), "apply-A").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(20));
        assertThat(write("s", state(3).json(), "apply-A").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(20));
        assertThat(write("s", state(4).json(), "apply-A").status()).isEqualTo(200);
        assertThat(unlock("s", "apply-A").status()).isEqualTo(200);
        assertThat(lock("s", "apply-B", writer).status()).isEqualTo(200);
        assertThat(write("s", state(5).json(), "apply-B").status()).isEqualTo(200);

        JsonNode sessions = getJson("/states/s/sessions").path("items");
        assertThat(sessions).hasSize(2);
        JsonNode newest = sessions.get(0);
        assertThat(newest.path("lockId").asText()).isEqualTo("apply-B");
        assertThat(newest.path("active").asBoolean()).isTrue();
        assertThat(longs(newest.path("versions"))).containsExactly(5L);
        assertThat(newest.path("intermediateVersions")).isEmpty();

        JsonNode a = sessions.get(1);
        assertThat(a.path("lockId").asText()).isEqualTo("apply-A");
        assertThat(a.path("operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(a.path("principal").asText()).isNotBlank();
        assertThat(a.path("active").asBoolean()).isFalse();
        assertThat(longs(a.path("versions"))).containsExactly(2L, 3L, 4L);
        assertThat(longs(a.path("intermediateVersions"))).containsExactly(2L, 3L);
        assertThat(a.path("startedAt").asText())
                .isEqualTo(getJson("/states/s/versions/2").path("createdAt").asText());
        assertThat(a.path("endedAt").asText())
                .isEqualTo(getJson("/states/s/versions/4").path("createdAt").asText());
        // the version list says which session a version belongs to
        JsonNode v3 = getJson("/states/s/versions/3");
        assertThat(v3.path("lockId").asText()).isEqualTo("apply-A");
        assertThat(v3.path("operation").asText()).isEqualTo("OperationTypeApply");
    }

    @Test
    void revertSessionRestoresTheLastVersionWrittenBeforeTheSessionBegan() {
        written("rv", state(1).resource("before", "b", false).json());
        written(
                "rv",
                state(2).resource("before", "b", false)
                        .resource("kept", "k", false)
                        .json());
        assertThat(lock("rv", "apply-X", writer).status()).isEqualTo(200);
        assertThat(write("rv", state(3).resource("half", "h", false).json(), "apply-X")
                        .status())
                .isEqualTo(200);
        assertThat(write("rv", state(4).json(), "apply-X").status()).isEqualTo(200);
        assertThat(unlock("rv", "apply-X").status()).isEqualTo(200);

        assertThat(post("/states/rv/sessions/apply-X/revert", null, writer).status())
                .isEqualTo(403);
        Response reverted = post("/states/rv/sessions/apply-X/revert", null, admin);
        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(200);
        assertThat(reverted.json().path("number").asLong()).isEqualTo(5);
        assertThat(reverted.json().path("serial").asLong()).isEqualTo(5);
        JsonNode diff = getJson("/states/rv/diff?from=2&to=5").path("changes");
        assertThat(diff.path("resourcesAdded")).isEmpty();
        assertThat(diff.path("resourcesRemoved")).isEmpty();
        assertThat(diff.path("resourcesChanged")).isEmpty();
        assertThat(getJson("/states/rv/resources").path("items")).hasSize(2);
        assertThat(audit("session.revert")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("lockId").asText())
                .isEqualTo("apply-X"));
    }

    @Test
    void revertIsRefusedWhenNothingPrecedesTheSessionOrTheSessionIsUnknown() {
        assertThat(lock("first", "apply-1", writer).status()).isEqualTo(200);
        assertThat(write("first", state(1).json(), "apply-1").status()).isEqualTo(200);
        assertThat(unlock("first", "apply-1").status()).isEqualTo(200);

        Response nothingBefore = post("/states/first/sessions/apply-1/revert", null, admin);
        assertThat(nothingBefore.status()).isEqualTo(409);
        assertThat(nothingBefore.json().path("error").path("message").asText()).contains("before");
        assertThat(post("/states/first/sessions/nope/revert", null, admin).status())
                .isEqualTo(404);
        assertThat(versionNumbers("first")).containsExactly(1L);
    }

    @Test
    void revertWhileSomeoneHoldsTheLockIsRefusedWith423() {
        written("lk", state(1).json());
        assertThat(lock("lk", "apply-Y", writer).status()).isEqualTo(200);
        assertThat(write("lk", state(2).json(), "apply-Y").status()).isEqualTo(200);

        Response refused = post("/states/lk/sessions/apply-Y/revert", null, admin);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(versionNumbers("lk")).containsExactly(2L, 1L);
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asLong()));
        return values;
    }
}
