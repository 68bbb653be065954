package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI over HTTP without a browser: the form login and its cookie, the CSRF token as the
 * {@code _csrf} form field (accepted on /ui/ only), escaping of state content, static files and
 * the login's redirect target. The browser tests in {@code it/} drive the same pages in Chromium.
 */
class UiHandlerTest extends UiServerTest {
    private static final String PASSWORD = "ui test password 1";
    private static final String XSS = "<script>alert(1)</script>";
    private static final String LOCK =
            "{\"ID\":\"ui-lock\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}";

    UiHandlerTest() {
        super(PASSWORD);
    }

    @BeforeAll
    void aStateWithAScriptInAResourceName() {
        written(
                "web",
                "{\"version\":4,\"serial\":3,\"lineage\":\"l-1\",\"terraform_version\":\"1.9.0\","
                        + "\"outputs\":{\"greeting\":{\"value\":\"hi\",\"type\":\"string\"},"
                        + "\"secret\":{\"value\":\"hunter2-value\",\"type\":\"string\",\"sensitive\":true}},"
                        + "\"resources\":[{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\""
                        + XSS.replace("\"", "")
                        + "\",\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\","
                        + "\"instances\":[{\"attributes\":{\"id\":\"1\"}}]}]}");
    }

    @Test
    void theLoginFormSetsAnHttpOnlyLaxCookieAndRedirectsToTheProjects() throws Exception {
        HttpResponse<String> r = ui.post("/ui/login", form("username", "alice", "password", PASSWORD), Map.of());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/ui/");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("statefort_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithoutABrowserDialog() throws Exception {
        HttpResponse<String> r =
                ui.post("/ui/login", form("username", "alice", "password", "wrong password!"), Map.of());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(r.body()).contains("Wrong user name or password").contains("value=\"alice\"");
    }

    @Test
    void aLoginGoesOnOnlyToAUiPath() throws Exception {
        HttpResponse<String> inside = ui.post(
                "/ui/login", form("username", "alice", "password", PASSWORD, "next", "/ui/projects/default"), Map.of());
        HttpResponse<String> outside = ui.post(
                "/ui/login", form("username", "alice", "password", PASSWORD, "next", "//evil.example/x"), Map.of());

        assertThat(inside.headers().firstValue("Location")).contains("/ui/projects/default");
        assertThat(outside.headers().firstValue("Location")).contains("/ui/");
    }

    @Test
    void withoutASessionAPageRedirectsToTheLoginPageAndRemembersWhere() throws Exception {
        HttpResponse<String> r = ui.get("/ui/projects/default", Map.of());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/ui/login?next=/ui/projects/default");
    }

    @Test
    void theCsrfTokenIsAcceptedAsAFormFieldOnUiFormsOnly() throws Exception {
        Session s = ui.login("alice");
        StateKey key = new StateKey("default", "held");
        assertThat(server.send("LOCK", "/tf/default/held", LOCK, admin).status())
                .isEqualTo(200);

        HttpResponse<String> wrong =
                ui.post("/ui/projects/default/states/held/unlock", form("_csrf", "0".repeat(64)), s.cookie());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(server.node().state().locks().holders(TestPrincipals.admin("test"), key))
                .isNotEmpty();

        HttpResponse<String> missing = ui.post("/ui/projects/default/states/held/unlock", "", s.cookie());
        assertThat(missing.statusCode()).isEqualTo(403);

        // the REST API takes the header only, never a form field: a form body is not even JSON (415)
        HttpResponse<String> api = ui.post("/api/v1/projects", form("_csrf", s.csrf(), "name", "formmade"), s.cookie());
        assertThat(api.statusCode()).isEqualTo(415);
        assertThat(server.node().project().projects().find("formmade")).isEmpty();

        HttpResponse<String> right =
                ui.post("/ui/projects/default/states/held/unlock", form("_csrf", s.csrf()), s.cookie());
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).contains("/ui/projects/default/states/held?done=unlocked");
        assertThat(server.node().state().locks().holders(TestPrincipals.admin("test"), key))
                .isEmpty();
    }

    @Test
    void aViewerSeesTheLockButNoForceUnlockAndMayNotPostIt() throws Exception {
        assertThat(server.send("LOCK", "/tf/default/viewed", LOCK, admin).status())
                .isEqualTo(200);
        Session viewer = ui.login("victor");

        HttpResponse<String> page = ui.get("/ui/projects/default/states/viewed", viewer.cookie());
        HttpResponse<String> forced =
                ui.post("/ui/projects/default/states/viewed/unlock", form("_csrf", viewer.csrf()), viewer.cookie());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("ci@runner").doesNotContain("/unlock");
        assertThat(forced.statusCode()).isEqualTo(403);
        assertThat(forced.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(server.node()
                        .state()
                        .locks()
                        .holders(TestPrincipals.admin("test"), new StateKey("default", "viewed")))
                .isNotEmpty();
    }

    @Test
    void stateContentIsEscapedAndSensitiveOutputsNeverSent() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> page = ui.get("/ui/projects/default/states/web", s.cookie());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("terraform_data.&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(XSS)
                .contains("greeting")
                .doesNotContain("hunter2-value");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void theProjectPageFiltersAndAnEmptyProjectShowsHowToConnect() throws Exception {
        server.node().project().projects().create("fresh");
        Session s = ui.login("root", true);

        HttpResponse<String> filtered = ui.get("/ui/projects/default?q=we&sort=size", s.cookie());
        HttpResponse<String> empty = ui.get("/ui/projects/fresh", s.cookie());

        assertThat(filtered.body()).contains("/ui/projects/default/states/web").doesNotContain("states/held\"");
        assertThat(empty.body())
                .contains("Connect Terraform")
                .contains("TF_HTTP_ADDRESS=")
                .contains("/tf/fresh/main");
    }

    @Test
    void htmxAndTheStylesheetComeFromTheJar() throws Exception {
        HttpResponse<String> htmx = ui.get("/ui/static/htmx.min.js", Map.of());
        HttpResponse<String> css = ui.get("/ui/static/statefort.css", Map.of());
        HttpResponse<String> other = ui.get("/ui/static/..%2Fpom.xml", Map.of());

        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(htmx.body()).contains("htmx");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.body()).contains("prefers-color-scheme: dark");
        assertThat(other.statusCode()).isIn(400, 404);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

}
