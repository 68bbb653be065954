package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import dev.statefort.server.wiring.StatefortNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UI login sessions over HTTP: the cookie, CSRF, logout, audit of logins and passwords. */
class SessionAccessTest extends AccessFixture {

    @Test
    void loginSetsAnHttpOnlySameSiteLaxCookieWithoutSecureOnPlainHttp() {
        user("alice", false);
        Response r = expect(200, loginResponse("alice", PASSWORD));
        List<String> cookies = r.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(1);
        String cookie = cookies.get(0);
        assertThat(cookie).startsWith("statefort_session=");
        assertThat(cookie.substring("statefort_session=".length()).split(";")[0])
                .matches("[0-9a-f]{64}");
        List<String> attributes =
                List.of(cookie.toLowerCase(java.util.Locale.ROOT).split("\\s*;\\s*"));
        assertThat(attributes).contains("httponly", "samesite=lax").doesNotContain("secure");
        JsonNode body = r.json();
        assertThat(body.path("user").asText()).isEqualTo("alice");
        assertThat(body.path("csrfToken").asText()).matches("[0-9a-f]{64}");
        assertThat(r.body()).doesNotContain(cookie.split(";")[0].substring("statefort_session=".length()));
    }

    @Test
    void theCookieAloneAuthorizesReads() {
        project("web");
        Session alice = memberSession("web", "alice", "viewer");
        assertThat(cookieOnly(alice, "GET", "/api/v1/projects/web/states", null).status())
                .isEqualTo(200);
        JsonNode session =
                expect(200, cookieOnly(alice, "GET", "/api/v1/session", null)).json();
        assertThat(session.path("user").asText()).isEqualTo("alice");
        assertThat(session.path("csrfToken").asText()).isEqualTo(alice.csrf());
        assertThat(send("GET", "/api/v1/projects/web/states", null, java.util.Map.of())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void stateChangingRequestsWithTheCookieNeedTheSessionsCsrfToken() {
        Session admin = login("admin", adminPassword);
        user("bob", false);
        String settings = "{\"guard\":\"enforce\"}";
        for (String csrf : new String[] {null, "0".repeat(64), admin.csrf().substring(1) + "x"}) {
            Response post = csrf == null
                    ? cookieOnly(admin, "POST", "/api/v1/projects", "{\"name\":\"p1\"}")
                    : withCsrf(admin, csrf, "POST", "/api/v1/projects", "{\"name\":\"p1\"}");
            Response put = csrf == null
                    ? cookieOnly(admin, "PUT", "/api/v1/projects/default/settings", settings)
                    : withCsrf(admin, csrf, "PUT", "/api/v1/projects/default/settings", settings);
            Response delete = csrf == null
                    ? cookieOnly(admin, "DELETE", "/api/v1/users/bob", null)
                    : withCsrf(admin, csrf, "DELETE", "/api/v1/users/bob", null);
            Response write = csrf == null
                    ? cookieOnly(admin, "POST", "/tf/default/app", state(1, "m"))
                    : withCsrf(admin, csrf, "POST", "/tf/default/app", state(1, "m"));
            for (Response r : List.of(post, put, delete, write)) {
                assertThat(r.status()).as(r.toString()).isEqualTo(403);
            }
            assertThat(post.body()).contains("CSRF");
        }
        // nothing changed
        assertThat(projectNames()).doesNotContain("p1");
        assertThat(expect(200, tok("GET", "/api/v1/projects/default/settings", null, rootToken))
                        .json()
                        .path("guard")
                        .asText())
                .isNotEqualTo("enforce");
        expect(200, tok("GET", "/api/v1/users/bob", null, rootToken));
        assertThat(versions("default", "app")).isEmpty();

        // with the right token each works
        expect(201, ui(admin, "POST", "/api/v1/projects", "{\"name\":\"p1\"}"));
        expect(200, ui(admin, "PUT", "/api/v1/projects/default/settings", settings));
        expect(204, ui(admin, "DELETE", "/api/v1/users/bob", null));
        expect(200, ui(admin, "POST", "/tf/default/app", state(1, "m")));
        assertThat(projectNames()).contains("p1");
        assertThat(tok("GET", "/api/v1/users/bob", null, rootToken).status()).isEqualTo(404);
        assertThat(versions("default", "app")).containsExactly(1L);
    }

    @Test
    void logoutEndsTheSession() {
        Session admin = login("admin", adminPassword);
        assertThat(cookieOnly(admin, "DELETE", "/api/v1/session", null).status())
                .isEqualTo(403);
        expect(200, cookieOnly(admin, "GET", "/api/v1/users", null));

        Response logout = expect(204, ui(admin, "DELETE", "/api/v1/session", null));
        assertThat(logout.header("Set-Cookie"))
                .startsWith("statefort_session=;")
                .contains("Expires=Thu, 01 Jan 1970");
        assertThat(cookieOnly(admin, "GET", "/api/v1/users", null).status()).isEqualTo(401);
        assertThat(cookieOnly(admin, "GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(ui(admin, "POST", "/api/v1/projects", "{\"name\":\"late\"}").status())
                .isEqualTo(401);
        assertThat(audit("action=logout"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("principal").asText()).isEqualTo("user:admin"));
    }

    @Test
    void aWrongPasswordIs401AndAuditedAsDenied() {
        user("alice", false);
        Response r = loginResponse("alice", "not the password at all");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(loginResponse("nobody", "not the password at all").status()).isEqualTo(401);
        List<JsonNode> logins = audit("action=login");
        assertThat(logins).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("outcome").asText()).isEqualTo("denied");
            assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(logins)
                .extracting(e -> e.path("principal").asText())
                .containsExactlyInAnyOrder("user:alice", "user:nobody");
        assertThat(logins.toString()).doesNotContain("not the password at all");
    }

    @Test
    void aSuccessfulLoginIsAuditedOk() {
        user("alice", false);
        login("alice", PASSWORD);
        assertThat(audit("action=login")).singleElement().satisfies(e -> {
            assertThat(e.path("outcome").asText()).isEqualTo("ok");
            assertThat(e.path("principal").asText()).isEqualTo("user:alice");
            assertThat(e.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(audit("action=login").toString()).doesNotContain(PASSWORD);
    }

    @Test
    void theInitialAdminLogsInWithTheGeneratedPasswordAndMustChangeIt() throws Exception {
        String fromFile = Files.readString(dataDir().resolve(StatefortNode.INITIAL_PASSWORD_FILE))
                .trim();
        assertThat(fromFile).isEqualTo(adminPassword);
        Session admin = login("admin", fromFile);
        assertThat(admin.login().json().path("mustChangePassword").asBoolean()).isTrue();
        assertThat(admin.login().json().path("globalAdmin").asBoolean()).isTrue();

        String body = "{\"currentPassword\":\"" + adminPassword + "\",\"password\":\"" + PASSWORD + "\"}";
        expect(204, ui(admin, "PUT", "/api/v1/users/admin/password", body));
        Session again = login("admin", PASSWORD);
        assertThat(again.login().json().path("mustChangePassword").asBoolean()).isFalse();
        assertThat(loginResponse("admin", adminPassword).status()).isEqualTo(401);
    }

    @Test
    void changingOwnPasswordNeedsTheCurrentOneAndEndsOtherSessions() {
        project("web");
        Session first = memberSession("web", "alice", "viewer");
        Session second = login("alice", PASSWORD);
        String newPassword = "a brand new passphrase";

        Response wrong = ui(
                first,
                "PUT",
                "/api/v1/users/alice/password",
                "{\"currentPassword\":\"guessed wrongly!\",\"password\":\"" + newPassword + "\"}");
        assertThat(wrong.status()).isEqualTo(403);
        Response missing = ui(first, "PUT", "/api/v1/users/alice/password", "{\"password\":\"" + newPassword + "\"}");
        assertThat(missing.status()).isEqualTo(403);
        assertThat(loginResponse("alice", newPassword).status()).isEqualTo(401);
        expect(200, cookieOnly(second, "GET", "/api/v1/session", null));

        expect(
                204,
                ui(
                        first,
                        "PUT",
                        "/api/v1/users/alice/password",
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"password\":\"" + newPassword + "\"}"));
        assertThat(cookieOnly(second, "GET", "/api/v1/projects/web/states", null)
                        .status())
                .isEqualTo(401);
        assertThat(loginResponse("alice", PASSWORD).status()).isEqualTo(401);
        Session fresh = login("alice", newPassword);
        assertThat(fresh.login().json().path("mustChangePassword").asBoolean()).isFalse();
    }

    @Test
    void aGlobalAdminResetsAnotherUsersPasswordWhichMustThenBeChanged() {
        project("web");
        Session alice = memberSession("web", "alice", "viewer");
        user("bob", false);
        String reset = "{\"password\":\"reset by the admin\"}";
        // a non-admin cannot reset someone else's password
        assertThat(ui(alice, "PUT", "/api/v1/users/bob/password", reset).status())
                .isEqualTo(403);
        assertThat(loginResponse("bob", "reset by the admin").status()).isEqualTo(401);

        Session admin = login("admin", adminPassword);
        expect(204, ui(admin, "PUT", "/api/v1/users/alice/password", reset));
        assertThat(cookieOnly(alice, "GET", "/api/v1/session", null).status()).isEqualTo(401);
        Session again = login("alice", "reset by the admin");
        assertThat(again.login().json().path("mustChangePassword").asBoolean()).isTrue();
        assertThat(expect(200, tok("GET", "/api/v1/users/alice", null, rootToken))
                        .json()
                        .path("mustChangePassword")
                        .asBoolean())
                .isTrue();
        assertThat(audit("action=user.password"))
                .singleElement()
                .satisfies(e -> assertThat(e.path("principal").asText()).isEqualTo("user:admin"));
    }

    private List<String> projectNames() {
        List<String> names = new java.util.ArrayList<>();
        expect(200, tok("GET", "/api/v1/projects", null, rootToken))
                .json()
                .path("items")
                .forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    @Test
    void aLoginPostedFromAnotherSiteIsRefused() {
        user("alice", false);
        String body = "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}";

        Response crossSite = send(
                "POST",
                "/api/v1/session",
                body,
                java.util.Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"));
        Response foreignOrigin = send(
                "POST",
                "/api/v1/session",
                body,
                java.util.Map.of("Content-Type", "application/json", "Origin", "https://evil.example"));
        Response sameOrigin = send(
                "POST",
                "/api/v1/session",
                body,
                java.util.Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"));

        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(foreignOrigin.status()).isEqualTo(403);
        assertThat(sameOrigin.status()).isEqualTo(200);
    }
}
