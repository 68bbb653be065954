package dev.statefort.server.http.access;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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
    StatefortNode node;
    StatefortServer server;
    /** The first start's global admin token. */
    String rootToken;
    /** The first start's generated password of user {@code admin}. */
    String adminPassword;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Settings on top of data-dir, port 0 and bind 127.0.0.1. */
    Map<String, String> extraConfig() {
        return Map.of();
    }

    Path dataDir() {
        return tmp.resolve("data");
    }

    @BeforeEach
    void startNode() throws Exception {
        Map<String, String> flags = new HashMap<>(extraConfig());
        flags.put("data-dir", dataDir().toString());
        flags.put("port", "0");
        flags.put("bind", "127.0.0.1");
        node = StatefortNode.open(ConfigLoader.load(flags, Map.of(), null), clock);
        StatefortNode.FirstStart first = node.firstStart();
        rootToken = first.adminToken().orElseThrow().token();
        adminPassword = first.adminUser().orElseThrow().password();
        server = StatefortServer.start(node);
    }

    @AfterEach
    void stopNode() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            node.close();
        }
    }

    // ---- raw requests -----------------------------------------------------------------------

    /** A response: status, headers and the exact body bytes. */
    record Resp(int status, HttpHeaders headers, byte[] bytes) {
        String body() {
            return new String(bytes, UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    Resp send(String method, String path, String body, Map<String, String> headers) {
        return send(http, method, path, body, headers);
    }

    Resp send(HttpClient client, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        if (body != null && path.startsWith("/api/v1/")) {
            request.setHeader("Content-Type", "application/json");
        }
        headers.forEach(request::setHeader);
        try {
            HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client whose connections come from {@code localAddress} (e.g. 127.0.0.2). */
    static HttpClient clientFrom(String localAddress) throws IOException {
        return HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(localAddress))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** With {@code Authorization: Bearer token}; no Authorization at all when {@code token} is null. */
    Resp tok(String method, String path, String body, String token) {
        return send(method, path, body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    /** With Basic credentials. */
    Resp basic(String method, String path, String body, String user, String password) {
        return send(method, path, body, Map.of("Authorization", basicHeader(user, password)));
    }

    static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    // ---- sessions ---------------------------------------------------------------------------

    /** A logged-in UI session: the cookie value and the CSRF token. */
    record Session(String cookie, String csrf, Resp login) {}

    Resp loginResponse(String user, String password) {
        String body = JSON.createObjectNode()
                .put("username", user)
                .put("password", password)
                .toString();
        return send("POST", "/api/v1/session", body, Map.of("Content-Type", "application/json"));
    }

    /** Logs in, expecting success. */
    Session login(String user, String password) {
        Resp r = loginResponse(user, password);
        assertThat(r.status()).as("login %s: %s", user, r).isEqualTo(200);
        String setCookie = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("statefort_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
        String value = setCookie.substring("statefort_session=".length()).split(";", 2)[0];
        return new Session(value, r.json().path("csrfToken").asText(), r);
    }

    /** With the session cookie and no CSRF header. */
    Resp cookieOnly(Session s, String method, String path, String body) {
        return send(method, path, body, Map.of("Cookie", "statefort_session=" + s.cookie()));
    }

    /** With the session cookie and the given CSRF header value. */
    Resp withCsrf(Session s, String csrf, String method, String path, String body) {
        return send(method, path, body, Map.of("Cookie", "statefort_session=" + s.cookie(), "X-CSRF-Token", csrf));
    }

    /** As the UI does it: cookie plus the session's CSRF token. */
    Resp ui(Session s, String method, String path, String body) {
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
    Resp createToken(Session s, Map<String, Object> fields) {
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
        Resp r = expect(201, createToken(s, fields));
        return r.json().path("token").asText();
    }

    static Resp expect(int status, Resp r) {
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
        Resp r = tok("GET", "/api/v1/projects/" + project + "/states/" + state + "/versions", null, rootToken);
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
