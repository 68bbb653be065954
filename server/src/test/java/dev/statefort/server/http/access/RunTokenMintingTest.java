package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer.Response;
import org.junit.jupiter.api.Test;

/**
 * Issue 28 point 5: the one minting a token that is not an admin may do ({@code statefort run}'s token):
 * a child for one state it may write, with write or lower permission and an expiry of at most a day;
 * audited with its parent, and revoked by the token that made it. Everything else still needs an admin.
 */
class RunTokenMintingTest extends AccessFixture {
    private Response mint(String token, String body) {
        return tok("POST", "/api/v1/tokens", body, token);
    }

    private String writer() {
        project("infra");
        return node.access()
                .tokens()
                .create("infra", Permission.WRITE, "pipeline")
                .token();
    }

    @Test
    void aWriteTokenMintsAShortLivedChildForOneStateAndRevokesIt() {
        String writer = writer();
        Response created = expect(
                201,
                mint(
                        writer,
                        "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"write\","
                                + "\"name\":\"statefort run\",\"expiresInMinutes\":120}"));
        String child = created.json().path("token").asText();
        String childId = created.json().path("record").path("id").asText();
        expect(200, tok("POST", "/tf/infra/network", state(1, "by-child"), child));
        expect(403, tok("POST", "/tf/infra/other", state(1, "x"), child));

        JsonNode event = audit("project=infra&action=token.create").getFirst();
        assertThat(event.path("detail").path("parent").asText())
                .as("audited with its parent")
                .isEqualTo(writer.substring(4, 16));

        expect(204, tok("DELETE", "/api/v1/tokens/" + childId, null, writer));
        expect(403, tok("GET", "/tf/infra/network", null, child));
    }

    @Test
    void everyOtherMintingStillNeedsAnAdmin() {
        String writer = writer();
        expect(403, mint(writer, "{\"project\":\"infra\",\"permission\":\"write\",\"expiresInMinutes\":60}"));
        expect(
                403,
                mint(
                        writer,
                        "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"admin\","
                                + "\"expiresInMinutes\":60}"));
        expect(403, mint(writer, "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"write\"}"));
        expect(
                403,
                mint(
                        writer,
                        "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"write\","
                                + "\"expiresInDays\":2}"));
        String reader = node.access()
                .tokens()
                .create("infra", Permission.READ, "reader")
                .token();
        expect(
                403,
                mint(
                        reader,
                        "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"read\","
                                + "\"expiresInMinutes\":60}"));
        String other = node.access()
                .tokens()
                .create("infra", Permission.WRITE, "other")
                .token();
        String otherId = other.substring(4, 16);
        Response revoke = tok("DELETE", "/api/v1/tokens/" + otherId, null, writer);
        assertThat(revoke.status()).as("a token it did not mint").isIn(403, 404);
        expect(200, tok("GET", "/api/v1/projects/infra/states", null, other));
    }

    @Test
    void aTokenMayHaveAHundredWorkingChildrenAtOnce() {
        String writer = writer();
        String body =
                "{\"project\":\"infra\",\"state\":\"network\",\"permission\":\"read\"," + "\"expiresInMinutes\":30}";
        String first = null;
        for (int i = 0; i < 100; i++) {
            String id = expect(201, mint(writer, body))
                    .json()
                    .path("record")
                    .path("id")
                    .asText();
            first = first == null ? id : first;
        }
        assertThat(mint(writer, body).status()).isEqualTo(409);
        expect(204, tok("DELETE", "/api/v1/tokens/" + first, null, writer));
        expect(201, mint(writer, body));
    }
}
