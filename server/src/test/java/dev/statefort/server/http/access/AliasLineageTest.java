package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 25 finding 4: an alias records the user and the token that made it and works only while
 * they still may grant it, and until its own expiry, checked at every request on the alias address.
 * A refused alias is refused as a revoked one is (403, "invalid auth" to Terraform).
 */
class AliasLineageTest extends AccessFixture {
    private Session alice; // admin of web

    @BeforeEach
    void projectWithAState() {
        project("web");
        alice = memberSession("web", "alice", "admin");
        expect(200, tok("POST", "/tf/web/app", state(1, "seed"), rootToken));
    }

    @Test
    void anAliasMadeWithATokenStopsWhenTheTokenIsRevoked() {
        String token = aliceToken(60);
        JsonNode alias = aliasWithToken(token, "write", null);
        assertWorks(alias);

        expect(204, ui(alice, "DELETE", "/api/v1/tokens/" + idOf(token), null));

        assertRefused(alias);
    }

    @Test
    void anAliasMadeWithATokenStopsWhenTheTokenExpires() {
        String token = aliceToken(60);
        JsonNode alias = aliasWithToken(token, "write", null);
        clock.advance(Duration.ofMinutes(59));
        assertWorks(alias);

        clock.advance(Duration.ofMinutes(1));

        assertRefused(alias);
    }

    @Test
    void anAliasStopsWhenTheUserWhoMadeItIsDeleted() {
        JsonNode alias = aliasInSession(alice, "write", null);
        assertWorks(alias);

        expect(204, tok("DELETE", "/api/v1/users/alice", null, rootToken));
        assertRefused(alias);

        user("alice", false);
        member("web", "alice", "admin");
        assertRefused(alias); // a new alice is someone else
    }

    @Test
    void anAliasStopsWhenItsMakerIsRemovedFromTheProject() {
        JsonNode alias = aliasInSession(alice, "write", null);
        assertWorks(alias);

        expect(204, tok("DELETE", "/api/v1/projects/web/members/alice", null, rootToken));

        assertRefused(alias);
    }

    @Test
    void anAliasStopsWhenItsMakersRoleFallsBelowItsPermission() {
        JsonNode write = aliasInSession(alice, "write", null);
        JsonNode read = aliasInSession(alice, "read", null);
        assertWorks(write);

        member("web", "alice", "viewer");

        assertRefused(write);
        assertThat(as(read, "GET", "", null).body())
                .as("a viewer may still grant read")
                .contains("seed");
    }

    @Test
    void anAliasMadeWithATokenStopsWhenTheTokensOwnerIsDemoted() {
        JsonNode alias = aliasWithToken(aliceToken(60), "write", null);
        assertWorks(alias);

        member("web", "alice", "viewer");

        assertRefused(alias);
    }

    @Test
    void anAliasStopsAtItsOwnExpiry() {
        JsonNode alias = aliasInSession(alice, "write", 30);
        clock.advance(Duration.ofMinutes(29));
        assertWorks(alias);

        clock.advance(Duration.ofMinutes(1));

        assertRefused(alias);
    }

    @Test
    void theListShowsWhoMadeEachAliasAndWhenItExpires() {
        Instant now = clock.instant();
        String token = aliceToken(60);
        JsonNode byToken = aliasWithToken(token, "write", 600);
        JsonNode bySession = aliasInSession(alice, "read", 30);

        JsonNode made = byToken.path("alias");
        assertThat(made.path("makerUser").asText()).isEqualTo("alice");
        assertThat(made.path("makerToken").asText()).isEqualTo(idOf(token));
        assertThat(Instant.parse(made.path("expiresAt").asText()))
                .as("never later than the token it was made with")
                .isEqualTo(now.plus(Duration.ofMinutes(60)));

        Map<String, JsonNode> listed = new LinkedHashMap<>();
        expect(200, ui(alice, "GET", "/api/v1/projects/web/aliases", null))
                .json()
                .path("items")
                .forEach(a -> listed.put(a.path("id").asText(), a));
        JsonNode session = listed.get(bySession.path("alias").path("id").asText());
        assertThat(session.path("makerUser").asText()).isEqualTo("alice");
        assertThat(session.path("makerToken").isNull()).isTrue();
        assertThat(Instant.parse(session.path("expiresAt").asText())).isEqualTo(now.plus(Duration.ofMinutes(30)));
        assertThat(listed.get(made.path("id").asText()).path("makerToken").asText())
                .isEqualTo(idOf(token));

        clock.advance(Duration.ofMinutes(30));
        String page = expect(200, ui(login("alice", PASSWORD), "GET", "/ui/projects/web/aliases", null))
                .body();
        assertThat(page)
                .contains("user alice with token " + idOf(token))
                .contains("user alice")
                .contains("expired");
    }

    @Test
    void anExpiryIsCheckedWhenTheAliasIsMade() {
        for (String body : new String[] {
            "{\"state\":\"app\",\"expiresInMinutes\":0}",
            "{\"state\":\"app\",\"expiresInDays\":3651}",
            "{\"state\":\"app\",\"expiresInDays\":1,\"expiresInMinutes\":5}"
        }) {
            assertThat(ui(alice, "POST", "/api/v1/projects/web/aliases", body).status())
                    .as(body)
                    .isEqualTo(400);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** An admin token of alice's for web that expires in {@code minutes}. */
    private String aliceToken(int minutes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", "web");
        fields.put("permission", "admin");
        fields.put("owner", "me");
        fields.put("expiresInMinutes", minutes);
        return expect(201, createToken(alice, fields)).json().path("token").asText();
    }

    private JsonNode aliasWithToken(String token, String permission, Integer expiresInMinutes) {
        return expect(201, tok("POST", "/api/v1/projects/web/aliases", body(permission, expiresInMinutes), token))
                .json();
    }

    private JsonNode aliasInSession(Session session, String permission, Integer expiresInMinutes) {
        return expect(201, ui(session, "POST", "/api/v1/projects/web/aliases", body(permission, expiresInMinutes)))
                .json();
    }

    private static String body(String permission, Integer expiresInMinutes) {
        return "{\"state\":\"app\",\"permission\":\"" + permission + "\""
                + (expiresInMinutes == null ? "" : ",\"expiresInMinutes\":" + expiresInMinutes) + "}";
    }

    private Response as(JsonNode alias, String method, String suffix, String body) {
        return basic(
                method,
                "/tf/alias/" + alias.path("alias").path("id").asText() + suffix,
                body,
                alias.path("alias").path("username").asText(),
                alias.path("password").asText());
    }

    /** The alias reads its state, and locks and unlocks it. */
    private void assertWorks(JsonNode alias) {
        assertThat(as(alias, "GET", "", null).body()).contains("seed");
        expect(200, as(alias, "LOCK", "/lock", lockInfo("works")));
        expect(200, as(alias, "UNLOCK", "/lock", lockInfo("works")));
    }

    /** Neither a read, a lock, an unlock nor a write gets through, and nothing was locked or written. */
    private void assertRefused(JsonNode alias) {
        assertThat(as(alias, "GET", "", null).status()).isEqualTo(403);
        assertThat(as(alias, "LOCK", "/lock", lockInfo("refused")).status()).isEqualTo(403);
        assertThat(as(alias, "UNLOCK", "/lock", lockInfo("refused")).status()).isEqualTo(403);
        assertThat(as(alias, "POST", "", state(2, "refused")).status()).isEqualTo(403);
        expect(200, tok("LOCK", "/tf/web/app", lockInfo("root"), rootToken));
        expect(200, tok("UNLOCK", "/tf/web/app", lockInfo("root"), rootToken));
        assertThat(content("web", "app")).contains("seed");
    }

    private static String idOf(String token) {
        return token.split("_")[1];
    }
}
