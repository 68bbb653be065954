package dev.statefort.server.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 16 point 5, fuzzing (jqwik, a fresh random sample on every run): requests to the Terraform
 * backend (any method, path, lock ID, Content-MD5 and body, valid states and lock infos mutated
 * byte by byte) and JSON bodies of every REST route that takes one, sent as raw HTTP. The server
 * never answers 5xx and no exception reaches Jetty (which would answer 500 and log "internal
 * error").
 */
class RequestFuzzTest {
    private static final String STATE =
            "{\"version\":4,\"serial\":7,\"lineage\":\"fuzz\",\"terraform_version\":\"1.9.0\","
                    + "\"outputs\":{\"a\":{\"value\":\"x\",\"type\":\"string\",\"sensitive\":true}},\"resources\":[{\"mode\":"
                    + "\"managed\",\"type\":\"null_resource\",\"name\":\"n\",\"instances\":[{\"attributes\":{\"id\":\"1\"}}]}]}";
    private static final String LOCK = "{\"ID\":\"f00d\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\","
            + "\"Who\":\"fuzz@host\",\"Version\":\"1.9.0\",\"Created\":\"2026-12-06T10:00:00Z\",\"Path\":\"\"}";
    private static final List<String> API_BODY_ROUTES = List.of(
            "POST /api/v1/session",
            "POST /api/v1/users",
            "PUT /api/v1/users/fuzzer/password",
            "PUT /api/v1/projects/default/members/fuzzer",
            "POST /api/v1/tokens",
            "POST /api/v1/projects/default/aliases",
            "POST /api/v1/projects",
            "POST /api/v1/projects/default/storage/move",
            "PUT /api/v1/projects/default/settings",
            "PATCH /api/v1/projects/default/settings",
            "POST /api/v1/projects/default/states/fz/versions",
            "POST /api/v1/projects/default/states/fz/versions/1/restore",
            "POST /api/v1/projects/default/states/fz/permit",
            "PUT /api/v1/projects/default/states/fz/outputs-access");

    /** The workspace (TFE API) of state {@code fz}. */
    private static final String FZ =
            "ws-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("default/fz".getBytes(UTF_8));

    private static final List<String> TFE_BODY_ROUTES = List.of(
            "POST /api/v2/organizations/default/workspaces",
            "PATCH /api/v2/workspaces/" + FZ,
            "POST /api/v2/workspaces/" + FZ + "/relationships/tags",
            "DELETE /api/v2/workspaces/" + FZ + "/relationships/tags",
            "POST /api/v2/workspaces/" + FZ + "/actions/lock",
            "POST /api/v2/workspaces/" + FZ + "/actions/unlock",
            "POST /api/v2/workspaces/" + FZ + "/actions/force-unlock",
            "POST /api/v2/workspaces/" + FZ + "/state-versions",
            "PUT /api/v2/uploads/" + "0".repeat(64));

    private static Path dir;
    private static TestServer server;
    private static String admin;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("statefort-fuzz");
        server = TestServer.start(dir.resolve("data"), Clock.systemUTC());
        admin = server.token(null, Permission.ADMIN);
        assertThat(server.send("POST", "/tf/default/fz", STATE, admin).status()).isEqualTo(200);
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 1500)
    void theBackendNeverAnswers5xx(
            @ForAll("methods") String method,
            @ForAll("backendPaths") String path,
            @ForAll("bodies") byte[] body,
            @ForAll("md5s") String md5)
            throws Exception {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin + "\r\n"
                + (md5 == null ? "" : "Content-MD5: " + md5 + "\r\n") + "Content-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        assertNoServerError(head, body);
    }

    @Property(tries = 1500)
    void theJsonApiNeverAnswers5xx(@ForAll("apiRoutes") String route, @ForAll("jsonBodies") String json)
            throws Exception {
        assertNoServerError(route, "application/json", json);
    }

    /** Issue 30: JSON:API bodies of every TFE route that takes one, as go-tfe sends them and mutated. */
    @Property(tries = 1000)
    void theTfeApiNeverAnswers5xx(@ForAll("tfeRoutes") String route, @ForAll("jsonApiBodies") String json)
            throws Exception {
        assertNoServerError(route, "application/vnd.api+json", json);
    }

    /** Issue 30: any string where the TFE API takes an ID (workspace, state version, output, upload). */
    @Property(tries = 500)
    void tfeIdsNeverAnswer5xx(@ForAll("tfeIdPaths") String path) throws Exception {
        String head = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                + "\r\nConnection: close\r\n\r\n";
        assertNoServerError(head, new byte[0]);
    }

    @Provide
    Arbitrary<String> tfeRoutes() {
        return Arbitraries.of(TFE_BODY_ROUTES);
    }

    @Provide
    Arbitrary<String> tfeIdPaths() {
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ09_-=").ofMaxLength(60).map(s -> "ws-" + s),
                Arbitraries.strings().withChars("abcXYZ09_-=").ofMaxLength(60).map(s -> "sv-" + s),
                Arbitraries.strings().withChars("abcXYZ09_-=").ofMaxLength(60).map(s -> "wsout-" + s),
                Arbitraries.of("default/fz", "default/fz/n1", "default/fz/s7", "default/fz/1/a", "a/b/c/d/e", "//", "x")
                        .map(plain -> java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(plain.getBytes(UTF_8)))
                        .flatMap(encoded ->
                                Arbitraries.of("ws-", "sv-", "wsout-").map(p -> p + encoded)));
        return Combinators.combine(
                        id,
                        Arbitraries.of(
                                "/api/v2/workspaces/%s",
                                "/api/v2/workspaces/%s/current-state-version",
                                "/api/v2/workspaces/%s/current-state-version-outputs",
                                "/api/v2/state-versions/%s",
                                "/api/v2/state-versions/%s/download",
                                "/api/v2/state-version-outputs/%s"))
                .as((i, template) -> template.formatted(i));
    }

    @Provide
    Arbitrary<String> jsonApiBodies() {
        Arbitrary<String> key = Arbitraries.of(
                "name",
                "tag-names",
                "terraform-version",
                "reason",
                "serial",
                "md5",
                "lineage",
                "force",
                "state",
                "json-state",
                "json-state-outputs",
                "x");
        Arbitrary<String> scalar =
                scalars("[\"a\",1]", "\"fz\"", "\"latest\"", "\"" + "0".repeat(32) + "\"", "\"e30=\"", "\"!!\"");
        Arbitrary<String> attributes = Combinators.combine(key, scalar)
                .as((k, v) -> "\"" + k + "\":" + v)
                .list()
                .ofMaxSize(6)
                .map(fields -> "{" + String.join(",", fields) + "}");
        Arbitrary<String> tags = Arbitraries.oneOf(
                scalar,
                scalar.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"),
                scalar.list()
                        .ofMaxSize(3)
                        .map(names -> "["
                                + String.join(
                                        ",",
                                        names.stream()
                                                .map(n -> "{\"type\":\"tags\",\"attributes\":{\"name\":" + n + "}}")
                                                .toList())
                                + "]"));
        Arbitrary<String> document = Combinators.combine(
                        Arbitraries.of("workspaces", "", "state-versions"), attributes, tags)
                .as((type, a, t) -> "{\"data\":{\"type\":\"" + type + "\",\"attributes\":" + a
                        + ",\"relationships\":{\"tags\":{\"data\":" + t + "}}}}");
        return Arbitraries.oneOf(
                document,
                tags.map(t -> "{\"data\":" + t + "}"),
                attributes.map(a -> "{\"data\":" + a + "}"),
                document.map(d -> d.substring(0, d.length() / 2)),
                scalar,
                Arbitraries.strings().ofMaxLength(40));
    }

    /** {@code route} ({@code METHOD /path}) as the admin, with {@code json} declared as {@code contentType}. */
    private static void assertNoServerError(String route, String contentType, String json) throws IOException {
        String[] parts = route.split(" ");
        byte[] body = json.getBytes(UTF_8);
        String head = parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        assertNoServerError(head, body);
    }

    private static void assertNoServerError(String head, byte[] body) throws IOException {
        String answer = exchange(head, body);
        assertThat(answer)
                .as("answered: " + head.lines().findFirst().orElse(""))
                .startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(status)
                .as(head.lines().findFirst().orElse("") + " answered "
                        + answer.lines().findFirst().orElse(""))
                .isLessThan(500);
        assertThat(answer).doesNotContain("internal error").doesNotContain("Exception");
    }

    private static String exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "LOCK", "UNLOCK", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> backendPaths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of(
                        "default", "fz", "nope", "..", ".", "%2e%2e", "%00", "a%2Fb", "%ZZ", "~", "x".repeat(300)),
                Arbitraries.strings()
                        .withChars("abcXYZ09._-~%/?&=+")
                        .ofMinLength(0)
                        .ofMaxLength(40));
        Arbitrary<String> query = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withChars("abc09-=&%?").ofMaxLength(30).map(q -> "?ID=" + q),
                Arbitraries.just("?ID=" + "f".repeat(2000)));
        return Combinators.combine(segment, segment, query).as((p, s, q) -> "/tf/" + p + "/" + s + q);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.just(new byte[0]),
                mutated(STATE),
                mutated(LOCK),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(512));
    }

    @Provide
    Arbitrary<String> md5s() {
        return Arbitraries.oneOf(
                Arbitraries.just((String) null),
                Arbitraries.strings().withChars("abcdefABC0123456789+/=").ofMaxLength(30));
    }

    @Provide
    Arbitrary<String> apiRoutes() {
        return Arbitraries.of(API_BODY_ROUTES);
    }

    @Provide
    Arbitrary<String> jsonBodies() {
        Arbitrary<String> key = Arbitraries.of(
                "name",
                "password",
                "project",
                "state",
                "permission",
                "role",
                "expiresInMinutes",
                "keepVersions",
                "keepDays",
                "guard",
                "guardRemovalPercent",
                "lockStaleMinutes",
                "lockAutoExpireMinutes",
                "to",
                "user",
                "globalAdmin",
                "access",
                "minutes",
                "reason",
                "version",
                "serial",
                "lineage",
                "x");
        Arbitrary<String> scalar = scalars("\"admin\"", "\"write\"", "\"enforce\"", "\"local\"");
        Arbitrary<String> object = Combinators.combine(key, scalar)
                .as((k, v) -> "\"" + k + "\":" + v)
                .list()
                .ofMaxSize(6)
                .map(fields -> "{" + String.join(",", fields) + "}");
        return Arbitraries.oneOf(
                object,
                object.map(o -> o.substring(0, o.length() / 2)),
                scalar,
                Arbitraries.strings().ofMaxLength(40));
    }

    /** JSON scalars and empty containers every body fuzzer tries, and {@code extra} ones of its own. */
    private static Arbitrary<String> scalars(String... extra) {
        List<String> values = new java.util.ArrayList<>(List.of(
                "null",
                "true",
                "false",
                "0",
                "-1",
                "1e309",
                "99999999999999999999",
                "\"\"",
                "[]",
                "{}",
                "\"" + "x".repeat(5000) + "\""));
        values.addAll(List.of(extra));
        return Arbitraries.oneOf(
                Arbitraries.of(values),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(20).map(RequestFuzzTest::jsonString));
    }

    /** {@code json} with a few bytes changed, cut, or doubled. */
    private static Arbitrary<byte[]> mutated(String json) {
        byte[] base = json.getBytes(UTF_8);
        return Combinators.combine(
                        Arbitraries.integers().between(0, base.length - 1),
                        Arbitraries.bytes(),
                        Arbitraries.of("set", "cut", "double", "insert"))
                .as((at, b, how) -> switch (how) {
                    case "set" -> {
                        byte[] copy = base.clone();
                        copy[at] = b;
                        yield copy;
                    }
                    case "cut" -> java.util.Arrays.copyOf(base, at);
                    case "double" -> (json + json).getBytes(UTF_8);
                    default -> {
                        byte[] copy = new byte[base.length + 1];
                        System.arraycopy(base, 0, copy, 0, at);
                        copy[at] = b;
                        System.arraycopy(base, at, copy, at + 1, base.length - at);
                        yield copy;
                    }
                });
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
