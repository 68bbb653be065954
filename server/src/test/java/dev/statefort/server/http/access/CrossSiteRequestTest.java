package dev.statefort.server.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.TestServer.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 point 1: a browser attaches the credentials it holds (cached Basic credentials, a
 * session cookie, a client certificate) to requests other sites' pages make. Every change that a
 * browser marks as cross-site is refused, whatever the credential; clients that send no browser
 * headers (Terraform, curl, CI) keep working; the JSON API takes JSON bodies only; and no 401
 * asks a browser for Basic credentials.
 */
class CrossSiteRequestTest extends AccessFixture {
    static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";
    static final String EVIL = "http://evil.example";

    private Map<String, String> fromEvil(String authorization, String contentType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Origin", EVIL);
        headers.put("Sec-Fetch-Site", "cross-site");
        headers.put("Content-Type", contentType);
        return headers;
    }

    private String own() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void aCrossSitePostWithACachedAdminTokenCreatesNoUser() {
        String body = "{\"name\":\"mallory\",\"password\":\"" + PASSWORD + "\",\"globalAdmin\":true}";
        Response r = send("POST", "/api/v1/users", body, fromEvil(basicHeader("x", rootToken), "text/plain"));

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("error").path("message").asText()).contains("another site");
        assertThat(tok("GET", "/api/v1/users/mallory", null, rootToken).status())
                .isEqualTo(404);
    }

    @Test
    void aCrossSitePostToTheBackendStoresNoState() {
        Response r = send("POST", "/tf/default/s", STATE, fromEvil(basicHeader("x", rootToken), "text/plain"));

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(tok("GET", "/api/v1/projects/default/states", null, rootToken)
                        .body())
                .doesNotContain("\"s\"");
    }

    @Test
    void aSameSiteMarkOrAForeignOriginAloneIsEnoughToRefuse() {
        String auth = "Bearer " + rootToken;
        for (Map<String, String> browser : new Map[] {
            Map.of("Sec-Fetch-Site", "same-site"),
            Map.of("Sec-Fetch-Site", "cross-site"),
            Map.of("Origin", EVIL),
            Map.of("Origin", "null"),
            Map.of("Origin", "https://127.0.0.1:" + server.port()),
            Map.of("Origin", "http://127.0.0.1:" + (server.port() + 1)),
            Map.of("Origin", own(), "Sec-Fetch-Site", "cross-site")
        }) {
            Map<String, String> headers = new HashMap<>(browser);
            headers.put("Authorization", auth);
            assertThat(send("POST", "/tf/default/s", STATE, headers).status())
                    .as("%s", browser)
                    .isEqualTo(403);
            assertThat(send("LOCK", "/tf/default/s", "{\"ID\":\"x\"}", headers).status())
                    .as("LOCK %s", browser)
                    .isEqualTo(403);
        }
        assertThat(tok("GET", "/api/v1/projects/default/states", null, rootToken)
                        .body())
                .doesNotContain("\"s\"");
    }

    @Test
    void ownPagesAndClientsWithoutBrowserHeadersKeepWorking() {
        String auth = "Bearer " + rootToken;
        assertThat(send("POST", "/tf/default/plain", STATE, Map.of("Authorization", auth))
                        .status())
                .as("Terraform, curl, CI: no Origin, no Sec-Fetch-Site")
                .isEqualTo(200);
        assertThat(send(
                                "POST",
                                "/tf/default/own",
                                STATE,
                                Map.of("Authorization", auth, "Origin", own(), "Sec-Fetch-Site", "same-origin"))
                        .status())
                .isEqualTo(200);
        assertThat(send("POST", "/tf/default/typed", STATE, Map.of("Authorization", auth, "Sec-Fetch-Site", "none"))
                        .status())
                .as("a request the user started (Sec-Fetch-Site: none)")
                .isEqualTo(200);
        assertThat(send("GET", "/tf/default/plain", null, fromEvil(auth, "text/plain"))
                        .status())
                .as("reads are not changes")
                .isEqualTo(200);
    }

    @Test
    void aCrossSiteChangeWithTheSessionCookieAndItsCsrfTokenIsRefused() {
        Session admin = login("admin", adminPassword);
        Map<String, String> headers =
                new HashMap<>(Map.of("Cookie", "statefort_session=" + admin.cookie(), "X-CSRF-Token", admin.csrf()));
        headers.put("Origin", EVIL);
        Response r = send("POST", "/api/v1/projects", "{\"name\":\"evil\"}", headers);
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        headers.put("Origin", own());
        assertThat(send("POST", "/api/v1/projects", "{\"name\":\"good\"}", headers)
                        .status())
                .isEqualTo(201);
    }

    @Test
    void theJsonApiAnswers415ToABodyThatIsNotJson() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
            Response r = send(
                    "POST",
                    "/api/v1/projects",
                    "{\"name\":\"p415\"}",
                    Map.of("Authorization", "Bearer " + rootToken, "Content-Type", type));
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.json().path("error").path("message").asText()).contains("application/json");
        }
        assertThat(tok("GET", "/api/v1/projects", null, rootToken).body()).doesNotContain("p415");
        Response withCharset = send(
                "POST",
                "/api/v1/projects",
                "{\"name\":\"p415\"}",
                Map.of("Authorization", "Bearer " + rootToken, "Content-Type", "application/json; charset=utf-8"));
        assertThat(withCharset.status()).isEqualTo(201);
    }

    @Test
    void noUnauthenticatedAnswerAsksABrowserForBasicCredentials() {
        for (String path : new String[] {"/api/v1/projects", "/tf/default/s", "/tf/alias/abcdefabcdefabcdefabcdef"}) {
            Response r = send("GET", path, null, Map.of());
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(String.valueOf(r.header("WWW-Authenticate"))).as(path).doesNotStartWithIgnoringCase("Basic");
        }
    }
}
