package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The one way the UI's server-level tests talk to a {@link TestServer}: log in through the login
 * form (creating the user on first use), then GET pages and POST forms with the session cookie.
 */
final class UiClient {
    /** A logged-in browser: its {@code Cookie} header and the session's CSRF token from a page. */
    record Session(Map<String, String> cookie, String csrf) {}

    private final TestServer server;
    private final String password;
    private final HttpClient http = HttpClient.newHttpClient();

    UiClient(TestServer server, String password) {
        this.server = server;
        this.password = password;
    }

    /** Creates {@code user} with the client's password and gives it {@code role} in project {@code default}. */
    void member(String user, Role role) {
        server.node().access().users().create(user, password, false);
        server.node().access().users().putMember("default", user, role);
    }

    Session login(String user) throws Exception {
        return login(user, false);
    }

    /** Logs {@code user} in (created with the client's password, a global admin or not, if missing). */
    Session login(String user, boolean globalAdmin) throws Exception {
        if (server.node().access().users().find(user).isEmpty()) {
            server.node().access().users().create(user, password, globalAdmin);
        }
        HttpResponse<String> r = post("/ui/login", form("username", user, "password", password), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        Map<String, String> cookie = Map.of("Cookie", UiForms.sessionCookie(r));
        return new Session(cookie, UiForms.csrfField(get("/ui/password", cookie).body()));
    }

    /** GET as {@code session} (null: without a session). */
    HttpResponse<String> get(String path, Session session) throws Exception {
        return get(path, session == null ? Map.of() : session.cookie());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, null, headers);
    }

    /** POSTs a form as {@code session} (null: without a session). */
    HttpResponse<String> post(String path, String formBody, Session session) throws Exception {
        return post(path, formBody, session == null ? Map.of() : session.cookie());
    }

    HttpResponse<String> post(String path, String formBody, Map<String, String> headers) throws Exception {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", path, formBody, all);
    }

    /** Any request; a body to {@code /api/v1/} is sent as JSON unless {@code headers} say otherwise. */
    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && path.startsWith("/api/v1/")) {
            request.setHeader("Content-Type", "application/json");
        }
        headers.forEach(request::setHeader);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
