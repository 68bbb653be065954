package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Secrets;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.http.MatrixCallers.Caller;
import dev.statefort.server.http.TestServer.Response;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the route tables ({@link StatefortServer#routes()}) against every kind of caller (tokens of each permission and
 * scope, users of each role by session cookie with and without the CSRF token, a user token capped
 * by its owner, an alias, CI jobs' OIDC tokens, bad credentials), from one table: {@link MatrixEndpoints#ROWS} says what
 * each endpoint needs and {@link MatrixCallers} what each caller has. No credentials: 401; not
 * enough: 403 (or the row's own denial status); enough: never 401/403 and never a 5xx. A route
 * without a row fails {@link #everyRouteHasARowAndEveryRowARoute}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";
    static final String PASSWORD = "matrix password 1";

    @TempDir
    static Path dataDir;

    private StatefortNode node;
    private TestServer server;
    private final AtomicInteger fresh = new AtomicInteger();
    private MatrixCallers callers;
    private FakeOidcIssuer issuer;
    private String aliasId;

    @BeforeAll
    void startServer() throws Exception {
        issuer = FakeOidcIssuer.start();
        Map<String, String> settings = new java.util.HashMap<>(issuer.settings("ci"));
        settings.put("auth-failure-limit", "0");
        server = TestServer.over(dataDir, new InMemoryMetadataStore(), new InMemoryBlobStore(), settings);
        node = server.node();
        node.project().projects().create("other");
        callers = new MatrixCallers(node);
        callers.addOidcCallers(issuer);
        String admin = callers.globalAdminToken();
        for (String state : List.of("existing", "existing", "existing", "aliased")) {
            assertThat(send("POST", "/tf/default/" + state, STATE, Map.of("Authorization", admin))
                            .status())
                    .isEqualTo(200);
        }
        aliasId = callers.createAlias(new StateKey("default", "aliased"));
        node.access().users().create("login", PASSWORD, false);
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
        issuer.close();
    }

    @Test
    void everyRouteHasARowAndEveryRowARoute() {
        Set<String> covered = MatrixEndpoints.ROWS.stream()
                .map(MatrixEndpoints.Row::route)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> routes = server.server().routes();
        assertThat(covered).as("routes without a matrix row").containsAll(routes);
        assertThat(routes).as("matrix rows for routes that do not exist").containsAll(covered);
        assertThat(routes).as("routes listed twice").doesNotHaveDuplicates();
    }

    /**
     * The access a route table declares is what its router checks before the endpoint runs. It may
     * never be looser than the weakest of the route's rows, and where the path names the project it
     * is exactly that. Only a route whose scope is elsewhere (a token's project in the body, the audit
     * log's {@code ?project=}, an alias's own permission) leaves the rest to its use case.
     */
    @Test
    void eachRoutesDeclaredAccessIsWhatItsMatrixRowsNeed() {
        for (RouteTable.Route<?> route : server.server().routeTable()) {
            int weakest = MatrixEndpoints.ROWS.stream()
                    .filter(r -> r.route().equals(route.name()))
                    .mapToInt(r -> level(r.needs()))
                    .min()
                    .orElseThrow();
            int declared = level(route.access());
            boolean scopeInPath = route.template().contains("{project}");
            assertThat(declared)
                    .as("%s declares %s", route.name(), route.access())
                    .isLessThanOrEqualTo(weakest);
            if (scopeInPath) {
                assertThat(declared)
                        .as("%s declares %s", route.name(), route.access())
                        .isEqualTo(weakest);
            }
        }
    }

    private static int level(Access access) {
        return switch (access.kind()) {
            case ANYONE -> 0;
            case SIGNED_IN -> 1;
            case PROJECT, STATE -> 2 + access.permission().ordinal();
            case GLOBAL_ADMIN -> 2 + Permission.values().length;
        };
    }

    private static int level(MatrixEndpoints.Needs needs) {
        return switch (needs) {
            case NOTHING, LOGIN, SESSION -> 0;
            case ANY, ANY_IN_PROJECT, SELF_OR_GLOBAL_ADMIN, USER_OR_GLOBAL_ADMIN, TOKEN_CREATE, UI_SESSION -> 1;
            case OUTPUTS -> 2 + Permission.OUTPUTS.ordinal();
            case READ, UI_READ -> 2 + Permission.READ.ordinal();
            case WRITE, UI_WRITE, ALIAS_WRITE -> 2 + Permission.WRITE.ordinal();
            case ADMIN, UI_ADMIN, ALIAS_ADMIN -> 2 + Permission.ADMIN.ordinal();
            case GLOBAL_ADMIN, UI_GLOBAL_ADMIN -> 2 + Permission.values().length;
        };
    }

    @Test
    void anUnlistedPathIs404AndAnUnlistedMethod405BeforeAnyAuthentication() throws Exception {
        assertThat(send("GET", "/api/v1/nothing-here", null, Map.of()).status()).isEqualTo(404);
        Response wrongMethod = send("PATCH", "/tf/default/existing", null, Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("LOCK");
    }

    Stream<Arguments> matrix() {
        return MatrixEndpoints.ROWS.stream()
                .flatMap(row -> callers.all().stream().map(caller -> Arguments.of(row, caller)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void everyEndpointChecksAuthorization(MatrixEndpoints.Row row, Caller caller) throws Exception {
        Response response = send(row, caller);
        int status = response.status();
        assertThat(status).as("never a 5xx: %s", response.body()).isLessThan(500);
        switch (MatrixExpectations.expected(row, caller)) {
            case UNAUTHENTICATED -> assertThat(status).as(response.body()).isEqualTo(401);
            case DENIED -> assertThat(status).as(response.body()).isEqualTo(row.deniedStatus());
            case REFUSED -> assertThat(status).as(response.body()).isEqualTo(403);
            case LOGIN_REDIRECT -> {
                assertThat(status).as(response.body()).isEqualTo(303);
                assertThat(isLoginRedirect(response))
                        .as("redirected to the login page")
                        .isTrue();
            }
            case ALLOWED -> {
                assertThat(status).as(response.body()).isNotIn(401, 403);
                assertThat(isLoginRedirect(response))
                        .as("not sent to the login page")
                        .isFalse();
            }
        }
    }

    Stream<Arguments> crossSiteChanges() {
        return MatrixEndpoints.ROWS.stream()
                .filter(row -> !Set.of("GET", "HEAD", "OPTIONS").contains(row.method()))
                .flatMap(row -> callers.all().stream()
                        .filter(caller ->
                                MatrixExpectations.expected(row, caller) == MatrixExpectations.Expected.ALLOWED)
                        .map(caller -> Arguments.of(row, caller)));
    }

    /**
     * The cross-site rows: every change a caller may make is refused (403) when a browser marks it as
     * sent by another site, whatever the credential (token, session with its CSRF token, alias).
     */
    @ParameterizedTest(name = "cross-site {0} as {1}")
    @MethodSource("crossSiteChanges")
    void everyChangeFromAnotherSiteIsRefusedWithEveryCredential(MatrixEndpoints.Row row, Caller caller)
            throws Exception {
        String path = resolve(row.path());
        String body = row.body() == null ? null : resolve(row.body());
        Map<String, String> headers = new java.util.HashMap<>(callers.headers(caller, row));
        headers.put("Origin", "http://evil.example");
        headers.put("Sec-Fetch-Site", "cross-site");
        if (body != null && path.startsWith("/ui/")) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        Response response = send(row.method(), path, body, headers);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
    }

    /** The UI's answer to no session: 303 to {@code /ui/login}, with at most a {@code ?next=}. */
    private static boolean isLoginRedirect(Response response) {
        String location = java.util.Objects.toString(response.header("Location"), "");
        return response.status() == 303 && (location.equals("/ui/login") || location.startsWith("/ui/login?next="));
    }

    private Response send(MatrixEndpoints.Row row, Caller caller) throws Exception {
        String path = resolve(row.path());
        String body = row.body() == null ? null : resolve(row.body());
        Map<String, String> headers = new java.util.HashMap<>(callers.headers(caller, row));
        if (body != null && path.startsWith("/ui/")) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        return send(row.method(), path, body, headers);
    }

    /** Fills in the placeholders that need a fresh object for each request. */
    private String resolve(String text) {
        String out = text.replace("{alias}", aliasId);
        if (out.contains("{newProject}")) {
            out = out.replace("{newProject}", "p" + fresh.incrementAndGet());
        }
        if (out.contains("{newWorkspace}")) {
            out = out.replace("{newWorkspace}", "w" + fresh.incrementAndGet());
        }
        if (out.contains("{newPolicy}")) {
            out = out.replace("{newPolicy}", "policy" + fresh.incrementAndGet());
        }
        if (out.contains("{newUser}")) {
            String user = "u" + fresh.incrementAndGet();
            node.access().users().create(user, PASSWORD, false);
            out = out.replace("{newUser}", user);
        }
        if (out.contains("{newMember}")) {
            String user = "m" + fresh.incrementAndGet();
            node.access().users().create(user, PASSWORD, false);
            node.access().users().putMember("default", user, Role.VIEWER);
            out = out.replace("{newMember}", user);
        }
        if (out.contains("{newAlias}")) {
            out = out.replace("{newAlias}", callers.createAlias(new StateKey("default", "aliased")));
        }
        if (out.contains("{newToken}")) {
            IssuedToken t = node.access().tokens().create("default", Permission.READ, "to revoke");
            out = out.replace("{newToken}", t.record().id());
        }
        return out;
    }

    private Response send(String method, String path, String body, Map<String, String> headers) {
        return server.send(method, path, body, headers);
    }

    /** Token records made directly in the store, for states a service would refuse to create (expired). */
    static String expiredToken(InMemoryMetadataStore metadata) {
        String secret = Secrets.randomHex(32);
        String id = "expiredtoken";
        metadata.createToken(new TokenRecord(
                id,
                "expired",
                "default",
                null,
                Permission.ADMIN,
                null,
                Secrets.sha256Hex(secret),
                Instant.EPOCH,
                Instant.EPOCH.plusSeconds(1),
                null,
                null,
                null,
                null));
        return "sft_" + id + "_" + secret;
    }

    /** A session made directly in the store, fresh for each request (logout rows end sessions). */
    static Map<String, String> session(StatefortNode node, String user) {
        String cookie = Secrets.randomHex(32);
        String csrf = Secrets.randomHex(32);
        Instant now = Instant.now();
        node.metadata().access().createSession(new SessionRecord(Secrets.sha256Hex(cookie), user, csrf, now, now));
        return Map.of("cookie", cookie, "csrf", csrf);
    }

    static TokenRequest request(String project, String state, Permission permission, String owner) {
        return new TokenRequest("matrix", project, state, permission, owner, null);
    }
}
