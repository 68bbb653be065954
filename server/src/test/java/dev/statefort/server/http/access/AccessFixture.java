package dev.statefort.server.http.access;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.http.TestServer;
import dev.statefort.server.http.TestServer.Response;
import dev.statefort.server.wiring.StatefortNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the real stores (SQLite and file blobs in a temporary directory) with a hand-moved
 * clock and its HTTP server on 127.0.0.1, after the first start: the global admin token and the
 * {@code admin} user with its generated password. Helpers send requests with a token, Basic
 * credentials or a login session (cookie plus CSRF header).
 */
abstract class AccessFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock();
    TestServer server;
    StatefortNode node;
    /** The first start's global admin token. */
    String rootToken;
    /** The first start's generated password of user {@code admin}. */
    String adminPassword;

    /** Settings on top of data-dir, port 0 and bind 127.0.0.1. */
    Map<String, String> extraConfig() {
        return Map.of();
    }

    Path dataDir() {
        return tmp.resolve("data");
    }

    @BeforeEach
    void startNode() throws Exception {
        server = TestServer.start(dataDir(), clock, extraConfig());
        node = server.node();
        rootToken = server.firstStart().adminToken().orElseThrow().token();
        adminPassword = server.firstStart().adminUser().orElseThrow().password();
    }

    @AfterEach
    void stopNode() throws Exception {
        server.close();
    }

    // ---- raw requests -----------------------------------------------------------------------

    Response send(String method, String path, String body, Map<String, String> headers) {
        return server.send(method, path, body, headers);
    }

    Response send(HttpClient client, String method, String path, String body, Map<String, String> headers) {
        return server.send(client, method, path, body, headers);
    }

    /** A client whose connections come from {@code localAddress} (e.g. 127.0.0.2). */
    static HttpClient clientFrom(String localAddress) throws IOException {
        return HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(localAddress))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** With {@code Authorization: Bearer token}; no Authorization at all when {@code token} is null. */
    Response tok(String method, String path, String body, String token) {
        return send(method, path, body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    /** With Basic credentials. */
    Response basic(String method, String path, String body, String user, String password) {
        return send(method, path, body, Map.of("Authorization", basicHeader(user, password)));
    }

    static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    // ---- sessions ---------------------------------------------------------------------------

    /** A logged-in UI session: the cookie value and the CSRF token. */
    record Session(String cookie, String csrf, Response login) {}

    Response loginResponse(String user, String password) {
        String body = JSON.createObjectNode()
                .put("username", user)
                .put("password", password)
                .toString();
        return send("POST", "/api/v1/session", body, Map.of("Content-Type", "application/json"));
    }

    /** Logs in, expecting success. */
    Session login(String user, String password) {
        Response r = loginResponse(user, password);
        assertThat(r.status()).as("login %s: %s", user, r).isEqualTo(200);
        String setCookie = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("statefort_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
        String value = setCookie.substring("statefort_session=".length()).split(";", 2)[0];
        return new Session(value, r.json().path("csrfToken").asText(), r);
    }

    /** With the session cookie and no CSRF header. */
    Response cookieOnly(Session s, String method, String path, String body) {
        return send(method, path, body, Map.of("Cookie", "statefort_session=" + s.cookie()));
    }

    /** With the session cookie and the given CSRF header value. */
    Response withCsrf(Session s, String csrf, String method, String path, String body) {
        return send(method, path, body, Map.of("Cookie", "statefort_session=" + s.cookie(), "X-CSRF-Token", csrf));
    }

    /** As the UI does it: cookie plus the session's CSRF token. */
    Response ui(Session s, String method, String path, String body) {
        return withCsrf(s, s.csrf(), method, path, body);
    }

    // ---- setup through the API (as the first start's admin token) ---------------------------

    static final String PASSWORD = "correct horse battery";

    /** Creates a project (expects 201). */
    void project(String name) {
        expect(201, tok("POST", "/api/v1/projects", "{\"name\":\"" + name + "\"}", rootToken));
    }

    /** Creates a user with {@link #PASSWORD} (expects 201). */
    void user(String name, boolean globalAdmin) {
        String body = JSON.createObjectNode()
                .put("name", name)
                .put("password", PASSWORD)
                .put("globalAdmin", globalAdmin)
                .toString();
        expect(201, tok("POST", "/api/v1/users", body, rootToken));
    }

    /** Gives {@code user} {@code role} in {@code project} (expects 200). */
    void member(String project, String user, String role) {
        expect(
                200,
                tok(
                        "PUT",
                        "/api/v1/projects/" + project + "/members/" + user,
                        "{\"role\":\"" + role + "\"}",
                        rootToken));
    }

    /** A user with {@link #PASSWORD} and {@code role} in {@code project}, logged in. */
    Session memberSession(String project, String user, String role) {
        user(user, false);
        member(project, user, role);
        return login(user, PASSWORD);
    }

    /** Creates a token through the API in a session; returns the response (201 and the token, or a refusal). */
    Response createToken(Session s, Map<String, Object> fields) {
        return ui(s, "POST", "/api/v1/tokens", JSON.valueToTree(fields).toString());
    }

    /** A token of the session's user (owner me) scoped to {@code project} (and {@code state} when not null). */
    String ownToken(Session s, String project, String state, String permission) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", project);
        if (state != null) {
            fields.put("state", state);
        }
        fields.put("permission", permission);
        fields.put("owner", "me");
        Response r = expect(201, createToken(s, fields));
        return r.json().path("token").asText();
    }

    static Response expect(int status, Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    // ---- states -----------------------------------------------------------------------------

    /** A small valid Terraform state whose output {@code marker} has the value {@code marker}. */
    static String state(long serial, String marker) {
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":" + serial
                + ",\"lineage\":\"lin-acc\",\"outputs\":{\"marker\":{\"value\":\"" + marker
                + "\",\"type\":\"string\"}},\"resources\":[]}";
    }

    static String lockInfo(String lockId) {
        return "{\"ID\":\"" + lockId + "\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\","
                + "\"Who\":\"ci@runner\",\"Version\":\"1.11.4\",\"Created\":\"2026-03-01T10:00:00Z\",\"Path\":\"\"}";
    }

    /** The current content of {@code project/state} as the admin token reads it through the backend. */
    String content(String project, String state) {
        return expect(200, tok("GET", "/tf/" + project + "/" + state, null, rootToken))
                .body();
    }

    /** Version numbers of a state, newest first, through the REST API. */
    List<Long> versions(String project, String state) {
        Response r = tok("GET", "/api/v1/projects/" + project + "/states/" + state + "/versions", null, rootToken);
        List<Long> numbers = new ArrayList<>();
        if (r.status() == 404) {
            return numbers;
        }
        expect(200, r)
                .json()
                .path("items")
                .forEach(v -> numbers.add(v.path("number").asLong()));
        return numbers;
    }

    // ---- audit ------------------------------------------------------------------------------

    /** Audit events (newest first) for a query string such as {@code action=login}, read as the admin token. */
    List<JsonNode> audit(String query) {
        List<JsonNode> events = new ArrayList<>();
        expect(200, tok("GET", "/api/v1/audit?limit=1000&" + query, null, rootToken))
                .json()
                .path("items")
                .forEach(events::add);
        return events;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }
}
