package dev.statefort.server.http.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.TestServer.Response;
import org.junit.jupiter.api.Test;

/** Issue 15 point 1: POST /api/v1/projects/{p}/states/{s}/versions uploads a state file as a new version. */
class UploadApiTest extends HistoryApiFixture {
    private static final String BASE = TestStates.withResources(10, 4);

    @Test
    void anUploadCreatesTheStateOrAddsAVersionAnd201sWithIt() {
        Response created = post("/states/uploaded/versions", BASE, writer);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("number").asLong()).isEqualTo(1);
        assertThat(created.json().path("serial").asLong()).isEqualTo(10);

        Response next = post("/states/uploaded/versions", TestStates.withResources(11, 4), writer);
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().path("number").asLong()).isEqualTo(2);
        assertThat(versionNumbers("uploaded")).containsExactly(2L, 1L);
        assertThat(server.send("GET", "/tf/default/uploaded", null, reader).body())
                .isEqualTo(TestStates.withResources(11, 4));
        assertThat(audit("state.write")).hasSize(2);
    }

    @Test
    void anUploadWaitsForSomeoneElsesLockAndTheHolderUploadsWithItsId() {
        written("locked", BASE);
        assertThat(lock("locked", "held-by-ci", writer).status()).isEqualTo(200);

        Response refused = post("/states/locked/versions", TestStates.withResources(11, 4), writer);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().path("holder").path("id").asText()).isEqualTo("held-by-ci");
        assertThat(versionNumbers("locked")).containsExactly(1L);

        assertThat(post("/states/locked/versions?ID=held-by-ci", TestStates.withResources(11, 4), writer)
                        .status())
                .isEqualTo(201);
    }

    @Test
    void theDestructiveWriteGuardJudgesAnUploadAsAnyWrite() {
        settings("{\"guard\":\"enforce\"}");
        written("guarded", BASE);

        Response refused = post("/states/guarded/versions", TestStates.withResources(11, 0), writer);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("quarantined write 1");
        assertThat(versionNumbers("guarded")).containsExactly(1L);
    }

    @Test
    void readersCannotUploadAndABodyThatIsNotAStateIs400() {
        assertThat(post("/states/x/versions", BASE, reader).status()).isEqualTo(403);
        Response bad = post("/states/x/versions", "[1,2]", writer);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(server.send(
                                "POST",
                                API + "/states/x/versions",
                                BASE,
                                java.util.Map.of("Authorization", "Bearer " + writer, "Content-Type", "text/plain"))
                        .status())
                .isEqualTo(415);
    }

    /** The 1,024-character lock-ID rule lives in core: the REST upload gets it as the backend does. */
    @Test
    void aLockIdOver1024CharactersIs400HereAsOnTheBackend() {
        String tooLong = "i".repeat(1025);
        Response upload = post("/states/long-id/versions?ID=" + tooLong, BASE, writer);
        assertThat(upload.status()).as(upload.toString()).isEqualTo(400);
        assertThat(upload.body()).contains("lock ID is longer than 1024 characters");
        Response backend = server.send("POST", "/tf/default/long-id?ID=" + tooLong, BASE, writer);
        assertThat(backend.status()).isEqualTo(400);
        assertThat(backend.body()).contains("lock ID is longer than 1024 characters");
        assertThat(post("/states/long-id/versions?ID=" + "i".repeat(1024), BASE, writer)
                        .status())
                .as("1,024 is allowed: no lock is held, so the ID names none")
                .isEqualTo(201);
    }
}
