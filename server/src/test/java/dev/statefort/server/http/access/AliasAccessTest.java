package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aliases: {@code /tf/alias/{id}} with the alias's own Basic credentials, serving its one state only. */
class AliasAccessTest extends AccessFixture {
    private Session alice; // admin of web

    @BeforeEach
    void projectAdmin() {
        project("web");
        alice = memberSession("web", "alice", "admin");
    }

    /** A new alias of web/{@code state}: the creation response. */
    private JsonNode alias(String state, String permission) {
        return expect(
                        201,
                        ui(
                                alice,
                                "POST",
                                "/api/v1/projects/web/aliases",
                                "{\"state\":\"" + state + "\",\"permission\":\"" + permission + "\"}"))
                .json();
    }

    private static String path(JsonNode alias) {
        return "/tf/alias/" + alias.path("alias").path("id").asText();
    }

    private Response as(JsonNode alias, String password, String method, String suffix, String body) {
        return basic(
                method,
                path(alias) + suffix,
                body,
                alias.path("alias").path("username").asText(),
                password);
    }

    private Response as(JsonNode alias, String method, String suffix, String body) {
        return as(alias, alias.path("password").asText(), method, suffix, body);
    }

    @Test
    void createReturnsABackendBlockWithTheAliasAddressAndUserName() {
        JsonNode created = alias("app", "write");
        String id = created.path("alias").path("id").asText();
        String username = created.path("alias").path("username").asText();
        String address = "http://127.0.0.1:" + server.port() + "/tf/alias/" + id;
        assertThat(id).matches("[a-z0-9]{24}");
        assertThat(created.path("alias").path("address").asText()).isEqualTo(address);
        assertThat(created.path("backendBlock").asText())
                .contains("backend \"http\"")
                .contains("address        = \"" + address + "\"")
                .contains("lock_address   = \"" + address + "/lock\"")
                .contains("username       = \"" + username + "\"")
                .doesNotContain(created.path("password").asText());
        assertThat(created.path("environment").path("TF_HTTP_PASSWORD").asText())
                .isEqualTo(created.path("password").asText());

        Response listed = expect(200, ui(alice, "GET", "/api/v1/projects/web/aliases", null));
        assertThat(listed.body())
                .contains(id)
                .doesNotContain(created.path("password").asText());
        assertThat(listed.body()).doesNotContainPattern("[0-9a-f]{64}");

        Session walt = memberSession("web", "walt", "writer");
        assertThat(ui(walt, "POST", "/api/v1/projects/web/aliases", "{\"state\":\"app\"}")
                        .status())
                .isEqualTo(403);
        assertThat(audit("project=web&action=alias.create")).hasSize(1);
    }

    @Test
    void theAliasCredentialsReadWriteLockAndUnlockItsState() {
        JsonNode a = alias("app", "write");
        assertThat(as(a, "GET", "", null).status()).isEqualTo(404);

        String written = state(1, "via-alias");
        expect(200, as(a, "POST", "", written));
        assertThat(content("web", "app")).isEqualTo(written);
        assertThat(as(a, "GET", "", null).body()).isEqualTo(written);

        expect(200, as(a, "LOCK", "/lock", lockInfo("l-1")));
        // the lock is real: another client cannot write now
        assertThat(tok("POST", "/tf/web/app", state(9, "other"), rootToken).status())
                .isEqualTo(423);
        String second = state(2, "via-alias-locked");
        expect(200, as(a, "POST", "?ID=l-1", second));
        expect(200, as(a, "UNLOCK", "/lock", lockInfo("l-1")));
        expect(200, tok("LOCK", "/tf/web/app", lockInfo("l-2"), rootToken));
        expect(200, tok("UNLOCK", "/tf/web/app", lockInfo("l-2"), rootToken));

        assertThat(content("web", "app")).isEqualTo(second);
        assertThat(versions("web", "app")).containsExactly(2L, 1L);
        assertThat(versions("web", "other")).isEmpty();
        String principal = "alias:" + a.path("alias").path("id").asText();
        assertThat(audit("project=web&state=app&principal=" + enc(principal)))
                .extracting(e -> e.path("action").asText())
                .containsExactlyInAnyOrder("state.write", "lock.acquire", "state.write", "lock.release");
    }

    @Test
    void anApiTokenAtTheAliasAddressIs403() {
        JsonNode a = alias("app", "write");
        String token = ownToken(alice, "web", null, "admin");
        for (Response r : List.of(
                tok("GET", path(a), null, token),
                tok("POST", path(a), state(1, "x"), rootToken),
                basic("GET", path(a), null, "terraform", token),
                basic("GET", path(a), null, a.path("alias").path("username").asText(), rootToken))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
        }
        assertThat(versions("web", "app")).isEmpty();
    }

    @Test
    void wrongAliasCredentialsAre403AndNoneAre401() {
        JsonNode a = alias("app", "write");
        String username = a.path("alias").path("username").asText();
        String password = a.path("password").asText();
        assertThat(as(a, "0".repeat(64), "GET", "", null).status()).isEqualTo(403);
        assertThat(basic("GET", path(a), null, "alias-wrongname", password).status())
                .isEqualTo(403);
        assertThat(basic("GET", "/tf/alias/" + "b".repeat(24), null, username, password)
                        .status())
                .isEqualTo(403);
        Response none = send("GET", path(a), null, Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(send("POST", path(a) + "/lock", lockInfo("l"), Map.of()).status())
                .isEqualTo(401);
    }

    @Test
    void rotateCutsTheOldPasswordAndTheNewOneWorks() {
        JsonNode a = alias("app", "write");
        expect(200, as(a, "POST", "", state(1, "before-rotate")));
        String id = a.path("alias").path("id").asText();
        JsonNode rotated = expect(200, ui(alice, "POST", "/api/v1/projects/web/aliases/" + id + "/rotate", null))
                .json();
        String fresh = rotated.path("password").asText();
        assertThat(fresh).isNotEqualTo(a.path("password").asText());
        assertThat(rotated.path("alias").path("username").asText())
                .isEqualTo(a.path("alias").path("username").asText());

        assertThat(as(a, "POST", "", state(2, "old-password")).status()).isEqualTo(403);
        expect(200, as(a, fresh, "POST", "", state(2, "new-password")));
        assertThat(content("web", "app")).contains("new-password");
        assertThat(audit("action=alias.rotate")).hasSize(1);
    }

    @Test
    void revokeCutsTheAliasAtOnce() {
        JsonNode a = alias("app", "write");
        expect(200, as(a, "POST", "", state(1, "before-revoke")));
        String id = a.path("alias").path("id").asText();
        expect(204, ui(alice, "DELETE", "/api/v1/projects/web/aliases/" + id, null));
        assertThat(as(a, "GET", "", null).status()).isEqualTo(403);
        assertThat(as(a, "POST", "", state(2, "revoked")).status()).isEqualTo(403);
        assertThat(ui(alice, "POST", "/api/v1/projects/web/aliases/" + id + "/rotate", null)
                        .status())
                .isEqualTo(404);
        assertThat(versions("web", "app")).containsExactly(1L);
        JsonNode listed = expect(200, ui(alice, "GET", "/api/v1/projects/web/aliases", null))
                .json()
                .path("items");
        assertThat(listed)
                .singleElement()
                .satisfies(x -> assertThat(x.path("revokedAt").isNull()).isFalse());
    }

    @Test
    void aReadAliasCannotWrite() {
        expect(200, tok("POST", "/tf/web/app", state(1, "seed"), rootToken));
        JsonNode a = alias("app", "read");
        assertThat(as(a, "GET", "", null).body()).contains("seed");
        assertThat(as(a, "POST", "", state(2, "nope")).status()).isEqualTo(403);
        assertThat(as(a, "LOCK", "/lock", lockInfo("l-1")).status()).isEqualTo(403);
        assertThat(as(a, "DELETE", "", null).status()).isEqualTo(403);
        assertThat(versions("web", "app")).containsExactly(1L);
    }

    @Test
    void aProjectNamedAliasIsRefused() {
        Response r = tok("POST", "/api/v1/projects", "{\"name\":\"alias\"}", rootToken);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("reserved");
        assertThat(expect(200, tok("GET", "/api/v1/projects", null, rootToken)).body())
                .doesNotContain("\"alias\"");
    }
}
