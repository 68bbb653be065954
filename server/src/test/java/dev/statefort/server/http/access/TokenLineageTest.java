package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 points 2, 3 and 6: a token belongs to its owner's immutable user ID; a token made by a
 * token never outlives, outranks or outscopes its parent and dies with it; and only a UI session,
 * the CLI or an admin token manages tokens.
 */
class TokenLineageTest extends AccessFixture {

    @Test
    void aDeletedUsersTokenNeverComesBackWithANewUserOfTheSameName() {
        Session bob = memberSession("default", "bob", "writer");
        String token = ownToken(bob, "default", null, "write");
        expect(200, tok("POST", "/tf/default/s", state(1, "a"), token));

        expect(204, tok("DELETE", "/api/v1/users/bob", null, rootToken));
        assertThat(tok("POST", "/tf/default/s", state(2, "b"), token).status()).isEqualTo(403);
        assertThat(cookieOnly(bob, "GET", "/api/v1/session", null).status())
                .as("the deleted user's session ended")
                .isEqualTo(401);

        user("bob", false);
        member("default", "bob", "writer");
        assertThat(tok("POST", "/tf/default/s", state(3, "c"), token).status())
                .as("the old bob's token, after a new bob became a writer")
                .isEqualTo(403);
        assertThat(content("default", "s")).contains("\"a\"");

        Session newBob = login("bob", PASSWORD);
        assertThat(ui(newBob, "GET", "/api/v1/tokens", null).json().path("items"))
                .as("the new bob does not own the old bob's tokens")
                .isEmpty();

        List<JsonNode> deletions = audit("action=user.delete");
        assertThat(deletions).hasSize(1);
        JsonNode detail = deletions.getFirst().path("detail");
        assertThat(detail.path("user").asText()).isEqualTo("bob");
        assertThat(detail.path("tokensRevoked").asInt()).isEqualTo(1);
        assertThat(detail.path("sessionsEnded").asInt()).isEqualTo(1);
    }

    @Test
    void aTokenMadeByATokenExpiresWithItsParentAndRecordsIt() {
        String parent = projectAdminToken(1);
        Response child = expect(
                201,
                tok(
                        "POST",
                        "/api/v1/tokens",
                        "{\"owner\":\"project\",\"permission\":\"admin\",\"project\":\"default\"}",
                        parent));
        String childToken = child.json().path("token").asText();
        JsonNode record = child.json().path("record");
        assertThat(record.path("expiresAt").asText())
                .as("no expiry asked for: the parent's")
                .isEqualTo(parentRecord(parent).path("expiresAt").asText());
        assertThat(record.path("parent").asText()).isEqualTo(idOf(parent));

        Response later = tok(
                "POST",
                "/api/v1/tokens",
                "{\"owner\":\"project\",\"permission\":\"read\",\"project\":\"default\",\"expiresInDays\":30}",
                parent);
        assertThat(Instant.parse(later.json().path("record").path("expiresAt").asText()))
                .as("a later expiry asked for: cut to the parent's")
                .isEqualTo(Instant.parse(record.path("expiresAt").asText()));

        expect(200, tok("POST", "/tf/default/kid", state(1, "x"), childToken));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertThat(tok("POST", "/tf/default/kid", state(2, "y"), childToken).status())
                .as("expired with its parent")
                .isEqualTo(403);
    }

    @Test
    void revokingATokenRevokesItsDescendants() {
        String parent = projectAdminToken(10);
        String child = tok(
                        "POST",
                        "/api/v1/tokens",
                        "{\"owner\":\"project\",\"permission\":\"admin\",\"project\":\"default\"}",
                        parent)
                .json()
                .path("token")
                .asText();
        String grandchild = tok(
                        "POST",
                        "/api/v1/tokens",
                        "{\"owner\":\"project\",\"permission\":\"write\",\"project\":\"default\"}",
                        child)
                .json()
                .path("token")
                .asText();
        expect(200, tok("POST", "/tf/default/g", state(1, "x"), grandchild));

        expect(204, tok("DELETE", "/api/v1/tokens/" + idOf(parent), null, rootToken));

        assertThat(tok("POST", "/tf/default/g", state(2, "y"), child).status()).isEqualTo(403);
        assertThat(tok("POST", "/tf/default/g", state(2, "y"), grandchild).status())
                .isEqualTo(403);
    }

    @Test
    void aChildNeverHasMoreScopeOrPermissionThanItsParent() {
        String writer = tok(
                        "POST",
                        "/api/v1/tokens",
                        "{\"owner\":\"project\",\"permission\":\"admin\",\"project\":\"default\",\"state\":\"one\"}",
                        rootToken)
                .json()
                .path("token")
                .asText();
        assertThat(tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"owner\":\"project\",\"permission\":\"read\",\"project\":\"default\"}",
                                writer)
                        .status())
                .as("a state-scoped token manages no tokens")
                .isEqualTo(403);
    }

    @Test
    void tokensMadeInAUiSessionHaveNoParentAndTheirOwnExpiry() {
        Session admin = login("admin", adminPassword);
        Response made =
                expect(201, createToken(admin, Map.of("project", "default", "permission", "write", "owner", "me")));
        assertThat(made.json().path("record").path("expiresAt").isNull()).isTrue();
        assertThat(made.json().path("record").path("parent").isNull()).isTrue();
    }

    @Test
    void onlyASessionTheCliOrAnAdminTokenManagesTokens() {
        Session alice = memberSession("default", "alice", "admin");
        String own = ownToken(alice, "default", null, "admin");
        String outputs = ownToken(alice, "default", null, "outputs");
        String write = ownToken(alice, "default", null, "write");
        String stateAdmin = ownToken(alice, "default", "only", "admin");

        for (String weak : new String[] {outputs, write, stateAdmin}) {
            assertThat(tok("GET", "/api/v1/tokens", null, weak).status()).isEqualTo(403);
            assertThat(tok("DELETE", "/api/v1/tokens/" + idOf(own), null, weak).status())
                    .isEqualTo(403);
            assertThat(tok("POST", "/api/v1/tokens", "{\"project\":\"default\",\"permission\":\"outputs\"}", weak)
                            .status())
                    .isEqualTo(403);
        }
        assertThat(tok("GET", "/api/v1/projects", null, outputs).status())
                .as("an outputs token reaches nothing under /api/v1")
                .isEqualTo(403);
        assertThat(tok("GET", "/api/v1/projects", null, write).status()).isEqualTo(200);
        assertThat(tok("GET", "/api/v1/tokens", null, own).json().path("items")).hasSize(4);
        assertThat(ui(alice, "GET", "/api/v1/tokens", null).status()).isEqualTo(200);
        expect(204, tok("DELETE", "/api/v1/tokens/" + idOf(write), null, own));
    }

    @Test
    void aChildNeverDoesMoreThanItsParentMayDoNow() {
        Session alice = memberSession("default", "alice", "admin");
        String parent = ownToken(alice, "default", null, "admin");
        String robot = expect(
                        201,
                        tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"owner\":\"project\",\"permission\":\"admin\",\"project\":\"default\"}",
                                parent))
                .json()
                .path("token")
                .asText();
        expect(200, tok("POST", "/tf/default/capped", state(1, "a"), robot));

        member("default", "alice", "viewer");
        assertThat(tok("POST", "/tf/default/capped", state(2, "b"), robot).status())
                .as("its parent is capped by alice's role now, so is the child")
                .isEqualTo(403);
        assertThat(tok("GET", "/tf/default/capped", null, robot).status()).isEqualTo(200);
        assertThat(tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"owner\":\"project\",\"permission\":\"read\",\"project\":\"default\"}",
                                parent)
                        .status())
                .as("a demoted owner's admin token manages no tokens")
                .isEqualTo(403);
    }

    @Test
    void aChildWhoseParentWasRevokedNeverWorksEvenIfItEscapedTheCascade() {
        String parent = projectAdminToken(10);
        String parentId = idOf(parent);
        expect(204, tok("DELETE", "/api/v1/tokens/" + parentId, null, rootToken));
        String secret = dev.statefort.core.auth.Secrets.randomHex(32);
        node.metadata()
                .createToken(new dev.statefort.core.model.TokenRecord(
                        "racedchild00",
                        "raced",
                        "default",
                        null,
                        dev.statefort.core.model.Permission.WRITE,
                        null,
                        dev.statefort.core.auth.Secrets.sha256Hex(secret),
                        clock.instant(),
                        null,
                        null,
                        null,
                        null,
                        parentId));
        assertThat(tok("POST", "/tf/default/r", state(1, "x"), "sft_racedchild00_" + secret)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aProjectAdminTokenCannotMintForAnotherProjectOrAllProjects() {
        project("other");
        String parent = projectAdminToken(10);
        assertThat(tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"owner\":\"project\",\"permission\":\"read\",\"project\":\"other\"}",
                                parent)
                        .status())
                .isEqualTo(403);
        assertThat(tok("POST", "/api/v1/tokens", "{\"owner\":\"project\",\"permission\":\"read\"}", parent)
                        .status())
                .isEqualTo(403);
    }

    /** A project (robot) admin token of {@code default} that expires in {@code days}, made by the root token. */
    private String projectAdminToken(int days) {
        return expect(
                        201,
                        tok(
                                "POST",
                                "/api/v1/tokens",
                                "{\"owner\":\"project\",\"permission\":\"admin\",\"project\":\"default\",\"expiresInDays\":"
                                        + days + "}",
                                rootToken))
                .json()
                .path("token")
                .asText();
    }

    private JsonNode parentRecord(String token) {
        for (JsonNode t : tok("GET", "/api/v1/tokens?project=default", null, rootToken)
                .json()
                .path("items")) {
            if (t.path("id").asText().equals(idOf(token))) {
                return t;
            }
        }
        throw new AssertionError("no token " + idOf(token));
    }

    private static String idOf(String token) {
        return token.split("_")[1];
    }
}
