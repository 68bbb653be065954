package dev.statefort.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates and revokes {@code statefort run}'s token through the REST API, with the caller's own token. */
final class TokenClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String callerToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TokenClient(String base, String callerToken) {
        this.base = base;
        this.callerToken = callerToken;
    }

    /** A token's ID and its secret (never printed). */
    record RunToken(String id, String secret) {
        @Override
        public String toString() {
            return "RunToken[" + id + "]";
        }
    }

    /** A write token for {@code project}/{@code state} alone, expiring after {@code lifetime}. */
    RunToken create(String project, String state, Duration lifetime) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("state", state);
        body.put("permission", "write");
        body.put("name", "statefort run");
        body.put("expiresInMinutes", Math.max(1, (lifetime.toSeconds() + 59) / 60));
        HttpResponse<String> response = send(request("/api/v1/tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build());
        if (response.statusCode() != 201) {
            throw new RunFailedException("Statefort at " + base + " refused to create the run's token: "
                    + response.statusCode() + " " + message(response.body()));
        }
        JsonNode created = JSON.readTree(response.body());
        return new RunToken(
                created.path("record").path("id").asText(),
                created.path("token").asText());
    }

    /** Revokes the token; true when it is gone (revoked now or before). */
    boolean revoke(String id) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request("/api/v1/tokens/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 204 || response.statusCode() == 404;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach Statefort at " + base + ": " + e, e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + callerToken);
    }

    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error").path("message");
            return error.isMissingNode() ? body : error.asText();
        } catch (IOException e) {
            return body;
        }
    }

    /** A step of {@code statefort run} failed; its message says which. */
    static final class RunFailedException extends dev.statefort.core.StatefortException {
        RunFailedException(String message) {
            super(message);
        }
    }
}
