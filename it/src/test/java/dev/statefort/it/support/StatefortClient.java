package dev.statefort.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * JDK HttpClient (HTTP/1.1, like the Go client) with Statefort credentials. Every response is checked against rule
 * 6 of the protocol: no expected condition may answer 5xx (other than 501) or 429.
 */
public final class StatefortClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient PLAIN_HTTP = http(null);

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final boolean basic;

    StatefortClient(String baseUrl, String token) {
        this(PLAIN_HTTP, baseUrl, token, false);
    }

    /** A client of whatever answers at {@code baseUrl} (a load balancer in front of several nodes, say). */
    public static StatefortClient at(String baseUrl, String token) {
        return new StatefortClient(baseUrl, token);
    }

    /** A client of an HTTPS server whose certificate {@code tls} trusts. */
    StatefortClient(SSLContext tls, String baseUrl, String token) {
        this(http(tls), baseUrl, token, false);
    }

    private StatefortClient(HttpClient http, String baseUrl, String token, boolean basic) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.basic = basic;
    }

    static HttpClient http(SSLContext tls) {
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** The same credentials sent as the Basic-auth password (what {@code TF_HTTP_PASSWORD} does). */
    public StatefortClient withBasicAuth() {
        return new StatefortClient(http, baseUrl, token, true);
    }

    public StatefortClient withToken(String otherToken) {
        return new StatefortClient(http, baseUrl, otherToken, basic);
    }

    public StatefortClient anonymous() {
        return new StatefortClient(http, baseUrl, null, false);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public static String statePath(String project, String state) {
        return "/tf/" + project + "/" + state;
    }

    // ---- raw requests ------------------------------------------------------------------------------------------

    public Response send(String method, String path, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        return send(method, path, publisher, headers);
    }

    /** Sends the body with {@code Transfer-Encoding: chunked} (unknown length), as Go does for force-unlock. */
    public Response sendChunked(String method, String path, byte[] body, String... headers) {
        Supplier<java.io.InputStream> stream = () -> new ByteArrayInputStream(body);
        return send(method, path, HttpRequest.BodyPublishers.ofInputStream(stream), headers);
    }

    public Response send(String method, String path, HttpRequest.BodyPublisher publisher, String... headers) {
        Response result = sendUnchecked(method, path, publisher, headers);
        if ((result.status() >= 500 && result.status() != 501) || result.status() == 429) {
            throw new AssertionError("protocol rule 6 violated (no 5xx/429 for expected conditions): " + result);
        }
        return result;
    }

    /** A request without the rule-6 check: for the few cases where a 5xx is the expected answer (a store outage). */
    public Response sendUnchecked(String method, String path, byte[] body) {
        return sendUnchecked(method, path, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** GET without the rule-6 check: for the few cases where a 5xx is the expected answer (a damaged blob). */
    public Response getUnchecked(String path) {
        return sendUnchecked("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    private Response sendUnchecked(String method, String path, HttpRequest.BodyPublisher publisher, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, publisher);
        if (token != null) {
            if (basic) {
                String credentials = "terraform:" + token;
                builder.header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            } else {
                builder.header("Authorization", "Bearer " + token);
            }
        }
        if (path.startsWith("/api/v1/") && publisher.contentLength() != 0) {
            builder.setHeader("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, path, response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- backend protocol --------------------------------------------------------------------------------------

    public Response get(String path) {
        return send("GET", path, (byte[]) null);
    }

    /** Terraform-style write: POST with Content-Type and Content-Md5, {@code ?ID=} when a lock id is given. */
    public Response write(String path, byte[] state, String lockId) {
        return write("POST", path, state, lockId);
    }

    public Response write(String method, String path, byte[] state, String lockId) {
        String target = lockId == null ? path : path + "?ID=" + lockId;
        return send(method, target, state, "Content-Type", "application/json", "Content-Md5", contentMd5(state));
    }

    public Response write(String path, String state, String lockId) {
        return write(path, state.getBytes(StandardCharsets.UTF_8), lockId);
    }

    public static String contentMd5(byte[] body) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- REST API ----------------------------------------------------------------------------------------------

    public JsonNode getJson(String path) {
        Response response = get(path);
        if (response.status() != 200) {
            throw new AssertionError("expected 200 from " + response);
        }
        return response.json();
    }

    public JsonNode versions(String project, String state) {
        return getJson("/api/v1/projects/" + project + "/states/" + state + "/versions?limit=100");
    }

    public byte[] versionContent(String project, String state, long number) {
        Response response =
                get("/api/v1/projects/" + project + "/states/" + state + "/versions/" + number + "/content");
        if (response.status() != 200) {
            throw new AssertionError("expected 200 from " + response);
        }
        return response.body();
    }

    /** The listing entry of one state from {@code GET /api/v1/projects/{p}/states}, or null. */
    public JsonNode stateSummary(String project, String state) {
        JsonNode listing = getJson("/api/v1/projects/" + project + "/states");
        JsonNode items = listing.isArray() ? listing : listing.path("items");
        for (JsonNode item : items) {
            if (state.equals(item.path("name").asText())) {
                return item;
            }
        }
        return null;
    }

    /** A response with its body kept as bytes. */
    public record Response(String method, String path, int status, byte[] body, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            String text = text();
            return method + " " + path + " -> " + status + " "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        }
    }
}
