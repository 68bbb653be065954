package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/tokens}: own and robot tokens, scopes, expiry, listing, last use, revocation. */
class TokenApiTest extends AccessFixture {
    private Session alice; // admin of web
    private Session walt; // writer of web

    @BeforeEach
    void people() {
        project("web");
        project("api");
        alice = memberSession("web", "alice", "admin");
        walt = memberSession("web", "walt", "writer");
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aUserCreatesTheirOwnTokenUpToTheirOwnPermission() {
        Response write = expect(201, createToken(walt, fields("project", "web", "permission", "write", "owner", "me")));
        assertThat(write.json().path("record").path("owner").asText()).isEqualTo("user:walt");
        assertThat(write.json().path("token").asText()).matches("sft_[a-z0-9]{12}_[0-9a-f]{64}");
        expect(201, createToken(walt, fields("project", "web", "permission", "read")));

        assertThat(createToken(walt, fields("project", "web", "permission", "admin", "owner", "me"))
                        .status())
                .isEqualTo(403);
        assertThat(createToken(walt, fields("project", "api", "permission", "read", "owner", "me"))
                        .status())
                .isEqualTo(403);
        assertThat(createToken(walt, fields("permission", "read", "owner", "me"))
                        .status())
                .isEqualTo(403);
        assertThat(ownTokens(walt)).hasSize(2);

        String token = write.json().path("token").asText();
        expect(200, tok("POST", "/tf/web/app", state(1, "x"), token));
        assertThat(audit("action=token.create&principal=user:walt")).hasSize(2);
    }

    @Test
    void aRobotTokenNeedsProjectAdmin() {
        Response refused = createToken(walt, fields("project", "web", "permission", "write", "owner", "project"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("admin");

        Response robot =
                expect(201, createToken(alice, fields("project", "web", "permission", "write", "owner", "project")));
        assertThat(robot.json().path("record").path("owner").asText()).isEqualTo("project:web");
        String token = robot.json().path("token").asText();
        expect(200, basic("POST", "/tf/web/app", state(1, "robot"), "terraform", token));
        assertThat(audit("project=web&action=state.write")).singleElement().satisfies(e -> assertThat(
                        e.path("principal").asText())
                .isEqualTo("token:" + robot.json().path("record").path("id").asText()));
        // a robot token of web is nothing in api
        assertThat(tok("GET", "/tf/api/app", null, token).status()).isEqualTo(403);
    }

    @Test
    void aStateScopedTokenWorksOnItsStateOnly() {
        String token = ownToken(alice, "web", "app", "admin");
        expect(200, basic("POST", "/tf/web/app", state(1, "scoped"), "terraform", token));
        expect(200, basic("LOCK", "/tf/web/app", lockInfo("l-1"), "terraform", token));
        expect(200, basic("UNLOCK", "/tf/web/app", lockInfo("l-1"), "terraform", token));
        expect(200, tok("GET", "/tf/web/app", null, token));
        expect(200, tok("GET", "/api/v1/projects/web/states/app/versions", null, token));

        List<Response> refused = List.of(
                basic("POST", "/tf/web/other", state(1, "no"), "terraform", token),
                basic("GET", "/tf/web/other", null, "terraform", token),
                tok("GET", "/api/v1/projects/web/states", null, token),
                tok("GET", "/api/v1/projects/web/settings", null, token),
                tok("GET", "/api/v1/projects/web/members", null, token),
                tok("GET", "/api/v1/projects/web/aliases", null, token),
                tok("GET", "/api/v1/audit?project=web", null, token));
        assertThat(refused)
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(403));
        assertThat(versions("web", "other")).isEmpty();
    }

    @Test
    void anExpiredTokenIs403() {
        Response created =
                expect(201, createToken(walt, fields("project", "web", "permission", "write", "expiresInDays", 1)));
        String token = created.json().path("token").asText();
        assertThat(created.json().path("record").path("expiresAt").asText())
                .isEqualTo(clock.instant().plus(Duration.ofDays(1)).toString());
        expect(200, tok("POST", "/tf/web/app", state(1, "before"), token));

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(tok("POST", "/tf/web/app", state(2, "after"), token).status())
                .isEqualTo(403);
        assertThat(basic("GET", "/tf/web/app", null, "terraform", token).status())
                .isEqualTo(403);
        assertThat(versions("web", "app")).containsExactly(1L);
    }

    @Test
    void listingShowsOwnTokensOrAProjectsForItsAdminAndNeverASecretOrHash() {
        String waltToken = ownToken(walt, "web", null, "write");
        ownToken(walt, "web", "app", "read");
        String robot = expect(
                        201, createToken(alice, fields("project", "web", "permission", "read", "owner", "project")))
                .json()
                .path("token")
                .asText();
        ownToken(alice, "web", null, "admin");

        List<JsonNode> mine = ownTokens(walt);
        assertThat(mine).hasSize(2).allSatisfy(t -> assertThat(t.path("owner").asText())
                .isEqualTo("user:walt"));

        Response project = expect(200, ui(alice, "GET", "/api/v1/tokens?project=web", null));
        assertThat(project.json().path("items")).hasSize(4);
        assertThat(ui(walt, "GET", "/api/v1/tokens?project=web", null).status()).isEqualTo(403);
        assertThat(ui(alice, "GET", "/api/v1/tokens?project=api", null).status())
                .isEqualTo(403);

        Response everything = expect(200, tok("GET", "/api/v1/tokens", null, rootToken));
        for (Response r : List.of(project, everything, ui(walt, "GET", "/api/v1/tokens", null))) {
            assertThat(r.body())
                    .doesNotContain("secretHash")
                    .doesNotContain("\"token\"")
                    .doesNotContain(secretOf(waltToken))
                    .doesNotContain(secretOf(robot))
                    .doesNotContain(secretOf(rootToken))
                    .doesNotContainPattern("[0-9a-f]{64}");
        }
    }

    @Test
    void lastUsedAtIsSetAfterUse() {
        String token = ownToken(walt, "web", null, "read");
        assertThat(ownTokens(walt))
                .singleElement()
                .satisfies(t -> assertThat(t.path("lastUsedAt").isNull()).isTrue());
        clock.advance(Duration.ofSeconds(5));
        expect(200, tok("GET", "/api/v1/projects/web/states", null, token));
        assertThat(ownTokens(walt)).singleElement().satisfies(t -> assertThat(
                        t.path("lastUsedAt").asText())
                .isEqualTo(clock.instant().toString()));
    }

    @Test
    void revokeByOwnerOrProjectAdminWorksAndIs404ForOthers() {
        Session bob = memberSession("web", "bob", "writer");
        Session outsider = memberSession("api", "olga", "admin");
        String first = ownToken(walt, "web", null, "write");
        String second = ownToken(walt, "web", null, "read");

        for (Session other : List.of(bob, outsider)) {
            Response r = ui(other, "DELETE", "/api/v1/tokens/" + idOf(first), null);
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
        }
        Response unknown = ui(bob, "DELETE", "/api/v1/tokens/aaaaaaaaaaaa", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("message").asText().replace("aaaaaaaaaaaa", "ID"))
                .isEqualTo(ui(bob, "DELETE", "/api/v1/tokens/" + idOf(first), null)
                        .json()
                        .path("error")
                        .path("message")
                        .asText()
                        .replace(idOf(first), "ID"));
        assertThat(tok("POST", "/tf/web/app", state(1, "ok"), first).status()).isEqualTo(200);

        expect(204, ui(walt, "DELETE", "/api/v1/tokens/" + idOf(first), null));
        assertThat(tok("POST", "/tf/web/app", state(2, "no"), first).status()).isEqualTo(403);
        assertThat(ui(walt, "DELETE", "/api/v1/tokens/" + idOf(first), null).status())
                .isEqualTo(404);

        expect(204, ui(alice, "DELETE", "/api/v1/tokens/" + idOf(second), null));
        assertThat(tok("GET", "/api/v1/projects/web/states", null, second).status())
                .isEqualTo(403);
        assertThat(audit("action=token.revoke"))
                .extracting(e -> e.path("principal").asText())
                .containsExactlyInAnyOrder("user:alice", "user:walt");
    }

    @Test
    void ownerMeAsARobotTokenIs400() {
        String robot = expect(
                        201, createToken(alice, fields("project", "web", "permission", "admin", "owner", "project")))
                .json()
                .path("token")
                .asText();
        Response r =
                tok("POST", "/api/v1/tokens", "{\"project\":\"web\",\"permission\":\"read\",\"owner\":\"me\"}", robot);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"project\":\"web\",\"permission\":\"read\",\"owner\":\"me\"}",
                                rootToken)
                        .status())
                .isEqualTo(400);
        // the robot may still make a robot token of its project
        expect(201, tok("POST", "/api/v1/tokens", "{\"project\":\"web\",\"permission\":\"read\"}", robot));
    }

    private List<JsonNode> ownTokens(Session s) {
        List<JsonNode> items = new ArrayList<>();
        expect(200, ui(s, "GET", "/api/v1/tokens", null)).json().path("items").forEach(items::add);
        return items;
    }

    private static String idOf(String token) {
        return token.split("_")[1];
    }

    private static String secretOf(String token) {
        return token.split("_")[2];
    }
}
