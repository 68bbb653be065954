package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.spi.memory.InMemoryBlobStore;
import dev.statefort.core.spi.memory.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint against every kind of caller: no credentials is 401, bad or revoked credentials
 * 403, a token without the needed project or permission 403, and a sufficient token is let through
 * (whatever the endpoint then answers, it is never 401/403 and never 5xx).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    private static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";
    private static final String LOCK = "{\"ID\":\"matrix-lock\",\"Operation\":\"OperationTypeApply\"}";

    /** What an endpoint needs. */
    enum Needs {
        ANY_VALID_TOKEN,
        OUTPUTS,
        READ,
        WRITE,
        ADMIN,
        GLOBAL_ADMIN
    }

    record Endpoint(String method, String path, String body, Needs needs) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A caller and what it is allowed in project {@code default}. */
    record Caller(String name, String authorization, Needs grants) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path dataDir;

    private StatefortNode node;
    private StatefortServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger projectCounter = new AtomicInteger();
    private final List<Caller> callers = new ArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        ServerConfig config = ConfigLoader.load(
                Map.of("data-dir", dataDir.toString(), "port", "0", "bind", "127.0.0.1"), Map.of(), null);
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        node = StatefortNode.of(config, metadata, new InMemoryBlobStore());
        node.bootstrap();
        node.projects().create("other");
        server = StatefortServer.start(node);

        IssuedToken revoked = node.tokens().create("default", Permission.ADMIN, "revoked");
        node.tokens().revoke(revoked.record().id());
        callers.add(new Caller("no credentials", null, null));
        callers.add(new Caller("malformed token", bearer("sft_not_a_token"), null));
        callers.add(new Caller("revoked admin token", bearer(revoked.token()), null));
        callers.add(new Caller("write token of another project", basic(token("other", Permission.WRITE)), null));
        callers.add(new Caller("outputs token", basic(token("default", Permission.OUTPUTS)), Needs.OUTPUTS));
        callers.add(new Caller("read token", basic(token("default", Permission.READ)), Needs.READ));
        callers.add(new Caller("write token", bearer(token("default", Permission.WRITE)), Needs.WRITE));
        callers.add(new Caller("project admin token", basic(token("default", Permission.ADMIN)), Needs.ADMIN));
        callers.add(new Caller("global admin token", bearer(token(null, Permission.ADMIN)), Needs.GLOBAL_ADMIN));

        // a state with one version for the read endpoints
        String admin = bearer(token(null, Permission.ADMIN));
        for (int i = 0; i < 3; i++) {
            assertThat(send(new Endpoint("POST", "/tf/default/existing", STATE, Needs.WRITE), admin)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
        node.close();
    }

    Stream<Arguments> matrix() {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/tf/default/existing", null, Needs.OUTPUTS),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/outputs-access", null, Needs.READ),
                new Endpoint("PUT", "/api/v1/projects/default/states/existing/outputs-access", "{}", Needs.ADMIN),
                new Endpoint("POST", "/tf/default/written", STATE, Needs.WRITE),
                new Endpoint("PUT", "/tf/default/written", STATE, Needs.WRITE),
                new Endpoint("LOCK", "/tf/default/locked", LOCK, Needs.WRITE),
                new Endpoint("UNLOCK", "/tf/default/locked", LOCK, Needs.WRITE),
                new Endpoint("LOCK", "/tf/default/locked/lock", LOCK, Needs.WRITE),
                new Endpoint("UNLOCK", "/tf/default/locked/lock", LOCK, Needs.WRITE),
                new Endpoint("POST", "/tf/default/locked/lock", LOCK, Needs.WRITE),
                new Endpoint("DELETE", "/tf/default/locked/lock", LOCK, Needs.WRITE),
                new Endpoint("DELETE", "/tf/default/locked", LOCK, Needs.WRITE),
                new Endpoint("DELETE", "/tf/default/deleted", null, Needs.ADMIN),
                new Endpoint("GET", "/api/v1/projects", null, Needs.ANY_VALID_TOKEN),
                new Endpoint("POST", "/api/v1/projects", "NEW_PROJECT", Needs.GLOBAL_ADMIN),
                new Endpoint("GET", "/api/v1/projects/default/states", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/versions", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/versions/1", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/versions/1/content", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/versions/1/summary", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/resources", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/outputs", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/diff?from=1&to=2", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/sessions", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/lock", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/quarantine", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/quarantine/1", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/quarantine/1/content", null, Needs.READ),
                new Endpoint("GET", "/api/v1/projects/default/states/existing/quarantine/1/diff", null, Needs.READ),
                new Endpoint("PATCH", "/api/v1/projects/default/settings", "{\"keepVersions\":50}", Needs.ADMIN),
                new Endpoint("GET", "/api/v1/projects/default/settings", null, Needs.READ),
                new Endpoint("PUT", "/api/v1/projects/default/settings", "{\"keepVersions\":50}", Needs.ADMIN),
                new Endpoint("GET", "/api/v1/audit?project=default", null, Needs.ADMIN),
                new Endpoint("GET", "/api/v1/audit", null, Needs.GLOBAL_ADMIN),
                new Endpoint("POST", "/api/v1/projects/default/states/existing/versions/1/restore", null, Needs.ADMIN),
                new Endpoint("DELETE", "/api/v1/projects/default/states/existing/versions/2", null, Needs.ADMIN),
                new Endpoint("DELETE", "/api/v1/projects/default/states/existing/lock", null, Needs.ADMIN),
                new Endpoint("POST", "/api/v1/projects/default/states/existing/permit", "{\"minutes\":5}", Needs.ADMIN),
                new Endpoint("DELETE", "/api/v1/projects/default/states/existing/permit", null, Needs.ADMIN),
                new Endpoint(
                        "POST", "/api/v1/projects/default/states/existing/quarantine/1/promote", null, Needs.ADMIN),
                new Endpoint("DELETE", "/api/v1/projects/default/states/existing/quarantine/1", null, Needs.ADMIN),
                new Endpoint(
                        "POST",
                        "/api/v1/projects/default/states/existing/sessions/matrix-lock/revert",
                        null,
                        Needs.ADMIN),
                new Endpoint("DELETE", "/api/v1/projects/default/states/gone", null, Needs.ADMIN));
        return endpoints.stream().flatMap(e -> callers.stream().map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void everyEndpointChecksAuthorization(Endpoint endpoint, Caller caller) throws Exception {
        HttpResponse<String> response = send(endpoint, caller.authorization());
        int status = response.statusCode();
        assertThat(status).as("never a 5xx: %s", response.body()).isLessThan(500);
        if (caller.authorization() == null) {
            assertThat(status).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        } else if (allowed(caller, endpoint)) {
            assertThat(status).as(response.body()).isNotIn(401, 403);
        } else {
            assertThat(status).as(response.body()).isEqualTo(403);
        }
    }

    private static boolean allowed(Caller caller, Endpoint endpoint) {
        if (caller.grants() == null) {
            return endpoint.needs() == Needs.ANY_VALID_TOKEN && caller.name().contains("another project");
        }
        return switch (endpoint.needs()) {
            case ANY_VALID_TOKEN -> true;
            case GLOBAL_ADMIN -> caller.grants() == Needs.GLOBAL_ADMIN;
            default -> caller.grants().compareTo(endpoint.needs()) >= 0;
        };
    }

    private HttpResponse<String> send(Endpoint endpoint, String authorization) throws Exception {
        String body = endpoint.body();
        if ("NEW_PROJECT".equals(body)) {
            body = "{\"name\":\"p" + projectCounter.incrementAndGet() + "\"}";
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + endpoint.path()))
                .method(
                        endpoint.method(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String project, Permission permission) {
        return node.tokens().create(project, permission, "matrix").token();
    }

    private static String bearer(String token) {
        return TestServer.bearer(token);
    }

    private static String basic(String token) {
        return TestServer.basic(token);
    }
}
