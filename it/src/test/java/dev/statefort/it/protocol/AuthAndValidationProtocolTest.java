package dev.statefort.it.protocol;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Protocol page section 2, rules 6 and 8, and issue points 5 and 6: credentials, names and bodies that are refused. */
class AuthAndValidationProtocolTest extends ServerTestBase {
    static final String OTHER_PROJECT = "auth-other";
    static StatefortClient reader;
    static StatefortClient otherProjectWriter;

    @BeforeAll
    static void createProjectAndTokens() {
        server.createProject(OTHER_PROJECT);
        reader = server.client(server.createToken(PROJECT, "read", "it-reader"));
        otherProjectWriter = server.client(server.createToken(OTHER_PROJECT, "write", "it-other-writer"));
    }

    // ---- authentication and authorisation ---------------------------------------------------------------------

    @Test
    void requestsWithoutCredentialsAnswer401() {
        String state = newStatePath("anon");
        StatefortClient anonymous = writer.anonymous();

        List<Response> responses = List.of(
                anonymous.get(state),
                anonymous.write(state, Fixtures.terraformState(1, newLockId(), "x"), null),
                lock(anonymous, LockLayout.STATE_URL, state, lockInfo(newLockId())),
                lock(anonymous, LockLayout.LOCK_URL_POST_DELETE, state, lockInfo(newLockId())),
                anonymous.get("/api/v1/projects"));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(401));
        assertNoState(writer.get(state));
    }

    @Test
    void tokenIsAcceptedAsBasicAuthPasswordWithAnyUsernameAndAsBearer() {
        String state = newStatePath("basic-and-bearer");
        byte[] body = Fixtures.terraformState(1, newLockId(), "basic");

        Response viaBasic = writer.withBasicAuth().write(state, body, null);
        Response viaBearer = writer.get(state);

        assertThat(viaBasic.status()).as("%s", viaBasic).isEqualTo(200);
        assertThat(viaBearer.status()).isEqualTo(200);
        assertThat(viaBearer.body()).isEqualTo(body);
    }

    @Test
    void unknownOrMalformedTokenIsRejectedWithoutServerError() {
        String state = newStatePath("bad-token");
        List<Response> responses = new ArrayList<>();
        for (String token : List.of("sft_nope_nope", "not-a-token", "sft_" + "x".repeat(300) + "_y")) {
            responses.add(writer.withToken(token).get(state));
            responses.add(writer.withToken(token).withBasicAuth().get(state));
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isIn(401, 403));
    }

    @Test
    void tokenOfAnotherProjectAnswers403() {
        String state = newStatePath("wrong-project");
        byte[] body = Fixtures.terraformState(1, newLockId(), "x");
        assertThat(writer.write(state, body, null).status()).isEqualTo(200);

        List<Response> responses = List.of(
                otherProjectWriter.get(state),
                otherProjectWriter.write(state, Fixtures.terraformState(2, newLockId(), "y"), null),
                lock(otherProjectWriter, LockLayout.LOCK_URL, state, lockInfo(newLockId())));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(403));
        assertThat(writer.get(state).body()).isEqualTo(body);
        assertUnlocked(state);
    }

    @Test
    void readTokenCanReadButNotWriteLockOrUnlock() {
        String state = newStatePath("read-token");
        byte[] body = Fixtures.terraformState(1, newLockId(), "x");
        assertThat(writer.write(state, body, null).status()).isEqualTo(200);
        byte[] holder = lockInfo(newLockId());
        assertThat(lock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);

        Response read = reader.get(state);
        List<Response> refused = List.of(
                reader.write(state, Fixtures.terraformState(2, newLockId(), "y"), null),
                lock(reader, LockLayout.LOCK_URL, state, lockInfo(newLockId())),
                reader.sendChunked("UNLOCK", state, new byte[0]),
                reader.send("DELETE", state, (byte[]) null));

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
        assertThat(refused).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(403));
        assertLockedBy(state, holder);
        assertThat(unlock(writer, LockLayout.STATE_URL, state, holder).status()).isEqualTo(200);
        assertThat(writer.get(state).body()).isEqualTo(body);
    }

    @Test
    void revokedTokenIsRejected() {
        String token = server.createToken(PROJECT, "write", "it-revoked");
        String tokenId = token.split("_")[1];
        StatefortClient revoked = writer.withToken(token);
        String state = newStatePath("revoked");
        assertThat(revoked.write(state, Fixtures.terraformState(1, newLockId(), "x"), null)
                        .status())
                .isEqualTo(200);

        server.cli("token", "revoke", tokenId).requireSuccess();

        Response refused = revoked.get(state);
        assertThat(refused.status()).as("%s", refused).isIn(401, 403);
    }

    @Test
    void nonAdminCannotCreateProjects() {
        Response refused = writer.send(
                "POST",
                "/api/v1/projects",
                "{\"name\":\"sneaky\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");

        assertThat(refused.status()).as("%s", refused).isEqualTo(403);
    }

    @Test
    void projectCreatedThroughTheApiByTheAdminIsUsable() {
        Response created = admin.send(
                "POST",
                "/api/v1/projects",
                "{\"name\":\"api-made\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");
        assertThat(created.status()).as("%s", created).isIn(200, 201);
        String state = StatefortClient.statePath("api-made", "net");
        byte[] body = Fixtures.terraformState(1, newLockId(), "x");

        assertThat(admin.write(state, body, null).status()).isEqualTo(200);
        assertThat(admin.get(state).body()).isEqualTo(body);
        assertThat(admin.getJson("/api/v1/projects").toString()).contains("api-made");
    }

    // ---- bodies and names ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"not json at all", "[{\"version\":4}]", "\"a string\"", "42", "{\"unterminated\": "})
    void bodyThatIsNotAJsonObjectAnswers400AndStoresNothing(String body) {
        String state = newStatePath("not-object");
        byte[] before = Fixtures.terraformState(1, newLockId(), "before");
        assertThat(writer.write(state, before, null).status()).isEqualTo(200);

        Response refused = writer.write(state, body.getBytes(StandardCharsets.UTF_8), null);

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(writer.get(state).body()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-starts-with-dash", ".hidden", "has%20space", "dollar$sign", "%C3%A9t%C3%A9"})
    void invalidStateNameAnswers400(String name) {
        String state = "/tf/" + PROJECT + "/" + name;
        List<Response> responses = List.of(
                writer.get(state),
                writer.write(state, Fixtures.terraformState(1, newLockId(), "x"), null),
                lock(writer, LockLayout.STATE_URL, state, lockInfo(newLockId())));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-dash", "_under", "dollar$sign"})
    void invalidProjectNameAnswers400(String project) {
        Response response = admin.write("/tf/" + project + "/net", Fixtures.terraformState(1, newLockId(), "x"), null);

        assertThat(response.status()).as("%s", response).isEqualTo(400);
    }

    @Test
    void stateInAProjectThatDoesNotExistAnswers404WithAMessage() {
        String state = StatefortClient.statePath("no-such-project", "net");
        List<Response> responses = List.of(
                admin.write(state, Fixtures.terraformState(1, newLockId(), "x"), null),
                lock(admin, LockLayout.STATE_URL, state, lockInfo(newLockId())),
                lock(admin, LockLayout.LOCK_URL_POST_DELETE, state, lockInfo(newLockId())),
                admin.get(state));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).as("%s", r).isEqualTo(404);
            assertThat(r.text()).as("%s", r).containsIgnoringCase("project");
        });
    }

    @Test
    void oddButExpectedRequestsNeverAnswer5xx() {
        // StatefortClient fails any 5xx (other than 501) or 429 itself; this is a sweep over odd inputs.
        String state = newStatePath("odd");
        List<Response> responses = new ArrayList<>();
        responses.add(writer.send("LOCK", state, "not json".getBytes(StandardCharsets.UTF_8)));
        responses.add(writer.send("LOCK", state, "{\"Operation\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        responses.add(writer.send("LOCK", state, "{\"ID\":\"\"}".getBytes(StandardCharsets.UTF_8)));
        responses.add(writer.send("LOCK", state, (byte[]) null));
        responses.add(writer.send("UNLOCK", state, "garbage".getBytes(StandardCharsets.UTF_8)));
        responses.add(writer.send("POST", state + "?ID=", Fixtures.terraformState(1, newLockId(), "x")));
        responses.add(writer.send("POST", state, new byte[0], "Content-Type", "application/json"));
        responses.add(writer.send("POST", state, "{}".getBytes(StandardCharsets.UTF_8), "Content-Md5", "!!notbase64"));
        responses.add(writer.send("PATCH", state, "{}".getBytes(StandardCharsets.UTF_8)));
        responses.add(writer.send("GET", state + "/lock", (byte[]) null));
        responses.add(writer.send("GET", "/tf/" + PROJECT, (byte[]) null));
        responses.add(writer.send("GET", "/tf/" + PROJECT + "/" + "a".repeat(2000), (byte[]) null));
        responses.add(writer.send("GET", "/api/v1/projects/no-such-project/states", (byte[]) null));
        responses.add(writer.send("GET", "/api/v1/projects/" + PROJECT + "/states/nope/versions", (byte[]) null));
        responses.add(
                writer.send("GET", "/api/v1/projects/" + PROJECT + "/states/nope/versions/1/content", (byte[]) null));
        responses.add(
                writer.send("GET", "/api/v1/projects/" + PROJECT + "/states/nope/versions/x/content", (byte[]) null));
        responses.add(admin.send("POST", "/api/v1/projects", "{\"name\":\"-bad\"}".getBytes(StandardCharsets.UTF_8)));
        responses.add(admin.send("POST", "/api/v1/projects", "nope".getBytes(StandardCharsets.UTF_8)));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isBetween(200, 499));
        writer.sendChunked("UNLOCK", state, new byte[0]);
    }
}
