package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users (global admins only), members (project admins of that project), and what each role may do. */
class UserAndMemberAccessTest extends AccessFixture {

    @Test
    void onlyGlobalAdminsManageUsers() {
        project("web");
        Session projectAdmin = memberSession("web", "alice", "admin");
        user("bob", false);
        String carol = "{\"name\":\"carol\",\"password\":\"" + PASSWORD + "\"}";
        List<Response> refused = List.of(
                ui(projectAdmin, "GET", "/api/v1/users", null),
                ui(projectAdmin, "POST", "/api/v1/users", carol),
                ui(projectAdmin, "GET", "/api/v1/users/bob", null),
                ui(projectAdmin, "DELETE", "/api/v1/users/bob", null),
                tok("POST", "/api/v1/users", carol, ownToken(projectAdmin, "web", null, "admin")));
        assertThat(refused)
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(403));
        assertThat(userNames()).containsExactlyInAnyOrder("admin", "alice", "bob");

        user("gina", true);
        Session globalAdmin = login("gina", PASSWORD);
        expect(201, ui(globalAdmin, "POST", "/api/v1/users", carol));
        expect(200, ui(globalAdmin, "GET", "/api/v1/users/carol", null));
        expect(204, ui(globalAdmin, "DELETE", "/api/v1/users/bob", null));
        assertThat(userNames()).containsExactlyInAnyOrder("admin", "alice", "gina", "carol");
        assertThat(audit("action=user.create&principal=user:gina")).hasSize(1);
        assertThat(audit("action=user.delete")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("user").asText())
                .isEqualTo("bob"));
    }

    @Test
    void aUserCreatedWithoutPasswordGetsAGeneratedOneShownOnlyOnce() {
        Response created = expect(201, tok("POST", "/api/v1/users", "{\"name\":\"carol\"}", rootToken));
        String password = created.json().path("password").asText();
        assertThat(password).hasSize(24);
        assertThat(created.json().path("user").path("mustChangePassword").asBoolean())
                .isTrue();

        Response one = expect(200, tok("GET", "/api/v1/users/carol", null, rootToken));
        Response all = expect(200, tok("GET", "/api/v1/users", null, rootToken));
        for (Response r : List.of(one, all)) {
            assertThat(r.body())
                    .doesNotContain(password)
                    .doesNotContain("argon2")
                    .doesNotContain("passwordHash");
        }
        assertThat(audit("action=user.create").toString()).doesNotContain(password);

        Session carol = login("carol", password);
        assertThat(carol.login().json().path("mustChangePassword").asBoolean()).isTrue();

        Response chosen = expect(
                201, tok("POST", "/api/v1/users", "{\"name\":\"dave\",\"password\":\"" + PASSWORD + "\"}", rootToken));
        assertThat(chosen.json().path("password").isNull()).isTrue();
        assertThat(chosen.json().path("user").path("mustChangePassword").asBoolean())
                .isFalse();
    }

    @Test
    void projectAdminsManageMembersOfTheirOwnProjectOnly() {
        project("web");
        project("api");
        Session alice = memberSession("web", "alice", "admin");
        Session writer = memberSession("web", "walt", "writer");
        user("bob", false);

        expect(200, ui(alice, "PUT", "/api/v1/projects/web/members/bob", "{\"role\":\"viewer\"}"));
        JsonNode members = expect(200, ui(alice, "GET", "/api/v1/projects/web/members", null))
                .json();
        assertThat(members.path("items").toString()).contains("\"user\":\"bob\"", "\"role\":\"viewer\"");
        Session bob = login("bob", PASSWORD);
        expect(200, cookieOnly(bob, "GET", "/api/v1/projects/web/states", null));

        // another project, or a writer of this one: no
        assertThat(ui(alice, "PUT", "/api/v1/projects/api/members/bob", "{\"role\":\"admin\"}")
                        .status())
                .isEqualTo(403);
        assertThat(ui(alice, "GET", "/api/v1/projects/api/members", null).status())
                .isEqualTo(403);
        assertThat(ui(writer, "PUT", "/api/v1/projects/web/members/bob", "{\"role\":\"admin\"}")
                        .status())
                .isEqualTo(403);
        assertThat(ui(writer, "DELETE", "/api/v1/projects/web/members/bob", null)
                        .status())
                .isEqualTo(403);
        assertThat(cookieOnly(bob, "GET", "/api/v1/projects/api/states", null).status())
                .isEqualTo(403);
        assertThat(memberRoles("web")).containsExactlyInAnyOrder("alice=admin", "walt=writer", "bob=viewer");
        assertThat(memberRoles("api")).isEmpty();

        expect(204, ui(alice, "DELETE", "/api/v1/projects/web/members/bob", null));
        assertThat(cookieOnly(bob, "GET", "/api/v1/projects/web/states", null).status())
                .isEqualTo(403);
        assertThat(audit("project=web&action=member.put&principal=user:alice")).hasSize(1);
        assertThat(audit("project=web&action=member.remove")).hasSize(1);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        project("web");
        expect(200, tok("POST", "/tf/web/app", state(1, "first"), rootToken));
        Session viewer = memberSession("web", "vera", "viewer");
        String token = ownToken(viewer, "web", null, "read");

        assertThat(basic("GET", "/tf/web/app", null, "terraform", token).body()).contains("first");
        expect(200, cookieOnly(viewer, "GET", "/api/v1/projects/web/states/app/versions", null));

        assertThat(basic("POST", "/tf/web/app", state(2, "second"), "terraform", token)
                        .status())
                .isEqualTo(403);
        assertThat(basic("LOCK", "/tf/web/app", lockInfo("l-1"), "terraform", token)
                        .status())
                .isEqualTo(403);
        assertThat(ui(viewer, "POST", "/tf/web/app", state(2, "second")).status())
                .isEqualTo(403);
        assertThat(ui(viewer, "LOCK", "/tf/web/app", lockInfo("l-1")).status()).isEqualTo(403);
        assertThat(versions("web", "app")).containsExactly(1L);
        assertThat(content("web", "app")).contains("first");
        // the refused LOCK took nothing: another client locks at once
        expect(200, tok("LOCK", "/tf/web/app", lockInfo("l-2"), rootToken));
    }

    @Test
    void aWriterWritesAndLocksThroughTheBackendWithTheirOwnToken() {
        project("web");
        Session writer = memberSession("web", "walt", "writer");
        String token = ownToken(writer, "web", null, "write");

        expect(200, basic("LOCK", "/tf/web/app", lockInfo("l-1"), "anyone", token));
        expect(200, basic("POST", "/tf/web/app?ID=l-1", state(1, "by-walt"), "anyone", token));
        expect(200, basic("UNLOCK", "/tf/web/app", lockInfo("l-1"), "anyone", token));
        expect(200, basic("POST", "/tf/web/app", state(2, "again"), "", token));
        assertThat(versions("web", "app")).containsExactly(2L, 1L);
        assertThat(content("web", "app")).contains("again");
        assertThat(audit("project=web&action=state.write"))
                .allSatisfy(e -> assertThat(e.path("principal").asText()).startsWith("user:walt/token:"));
        // but a writer deletes nothing
        assertThat(basic("DELETE", "/tf/web/app", null, "anyone", token).status())
                .isEqualTo(403);
        assertThat(versions("web", "app")).containsExactly(2L, 1L);
    }

    @Test
    void aDemotionTakesEffectOnTheNextRequest() {
        project("web");
        Session writer = memberSession("web", "walt", "writer");
        String token = ownToken(writer, "web", null, "write");
        expect(200, tok("POST", "/tf/web/app", state(1, "one"), token));

        member("web", "walt", "viewer");
        assertThat(tok("POST", "/tf/web/app", state(2, "two"), token).status()).isEqualTo(403);
        assertThat(ui(writer, "POST", "/tf/web/app", state(2, "two")).status()).isEqualTo(403);
        expect(200, tok("GET", "/tf/web/app", null, token));
        assertThat(versions("web", "app")).containsExactly(1L);

        member("web", "walt", "writer");
        expect(200, tok("POST", "/tf/web/app", state(2, "two"), token));

        expect(204, tok("DELETE", "/api/v1/projects/web/members/walt", null, rootToken));
        assertThat(tok("GET", "/tf/web/app", null, token).status()).isEqualTo(403);
        assertThat(cookieOnly(writer, "GET", "/api/v1/projects/web/states", null)
                        .status())
                .isEqualTo(403);
    }

    private List<String> userNames() {
        List<String> names = new ArrayList<>();
        expect(200, tok("GET", "/api/v1/users", null, rootToken))
                .json()
                .path("items")
                .forEach(u -> names.add(u.path("name").asText()));
        return names;
    }

    private List<String> memberRoles(String project) {
        List<String> roles = new ArrayList<>();
        expect(200, tok("GET", "/api/v1/projects/" + project + "/members", null, rootToken))
                .json()
                .path("items")
                .forEach(m ->
                        roles.add(m.path("user").asText() + "=" + m.path("role").asText()));
        return roles;
    }
}
