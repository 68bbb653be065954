package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.model.Permission;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A node and its HTTP server on 127.0.0.1 (port 0) for tests, with a client for it. {@link
 * #start(Path, Clock)} opens the real stores of the configuration (SQLite file and file-system
 * blobs under {@code dataDir}, encryption on); {@link #over} takes stores the test made.
 */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatefortNode node;
    private final StatefortNode.FirstStart firstStart;
    private final StatefortServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(StatefortNode node) throws Exception {
        this.node = node;
        try {
            this.firstStart = node.firstStart();
            this.server = StatefortServer.start(node);
        } catch (Exception e) {
            node.close();
            throw e;
        }
    }

    /** The real stores (SQLite + file-system blobs) under {@code dataDir}, reading {@code clock}. */
    public static TestServer start(Path dataDir, Clock clock) throws Exception {
        return start(dataDir, clock, Map.of());
    }

    /** {@link #start(Path, Clock)} with settings on top of {@link #config}'s, by file key. */
    public static TestServer start(Path dataDir, Clock clock, Map<String, String> settings) throws Exception {
        return new TestServer(StatefortNode.open(config(dataDir, settings), clock));
    }

    /** Over the in-memory stores of core's test support (blobs encrypted on top, as in production). */
    public static TestServer inMemory(Path dataDir) throws Exception {
        return over(dataDir, new InMemoryMetadataStore(), new InMemoryBlobStore());
    }

    /** Over stores the caller opened (the in-memory pair, say). */
    public static TestServer over(Path dataDir, MetadataStore metadata, BlobStore blobs) throws Exception {
        return new TestServer(StatefortNode.of(config(dataDir), metadata, blobs));
    }

    /** Over stores the caller opened, with settings on top of {@link #config}'s. */
    public static TestServer over(Path dataDir, MetadataStore metadata, BlobStore blobs, Map<String, String> settings)
            throws Exception {
        return new TestServer(StatefortNode.of(config(dataDir, settings), metadata, blobs));
    }

    /** The configuration the test servers run with: {@code dataDir}, any free port on 127.0.0.1. */
    public static ServerConfig config(Path dataDir) {
        return config(dataDir, Map.of());
    }

    /** {@link #config(Path)} with more settings, by file key. */
    public static ServerConfig config(Path dataDir, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.putIfAbsent("shutdown-drain", "0s"); // no load balancer to tell: stop at once
        all.put("data-dir", dataDir.toString());
        all.put("port", "0");
        all.put("bind", "127.0.0.1");
        return ConfigLoader.load(all, Map.of(), null);
    }

    public StatefortNode node() {
        return node;
    }

    /** What the first start made: the global admin token and the {@code admin} user's password. */
    public StatefortNode.FirstStart firstStart() {
        return firstStart;
    }

    /** The HTTP server (its route tables, say). */
    public StatefortServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** A new token; {@code project} null makes it global. */
    public String token(String project, Permission permission) {
        return node.access().tokens().create(project, permission, "test").token();
    }

    /** Sends with {@code Authorization: Bearer token} (none when {@code token} is null). */
    public Response send(String method, String path, String body, String token) {
        return sendAuthorized(method, path, body, token == null ? null : bearer(token));
    }

    /** Sends with the given {@code Authorization} header value (none when null). */
    public Response sendAuthorized(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    /** Sends with these headers; a body to {@code /api/v1/} is JSON unless they say otherwise. */
    public Response send(String method, String path, String body, Map<String, String> headers) {
        return send(http, method, path, body, headers);
    }

    /** {@link #send(String, String, String, Map)} through {@code client} (one bound to another local address, say). */
    public Response send(HttpClient client, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        if (body != null && (path.startsWith("/api/v1/") || path.startsWith("/api/v2/"))) {
            request.setHeader("Content-Type", "application/json");
        }
        headers.forEach(request::setHeader);
        try {
            HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("terraform:" + token).getBytes(UTF_8));
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            node.close();
        }
    }

    /** A response: status, headers and the exact bytes of the body. */
    public record Response(int status, HttpHeaders headers, byte[] bytes) {
        public String body() {
            return new String(bytes, UTF_8);
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
