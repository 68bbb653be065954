package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.cli.StatefortCli;
import dev.statefort.server.http.TestServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 points 3 and 5 over HTTP on the real stores: a project on a second profile (a directory of
 * its own, so no cloud is needed to prove the routing), the profile listing, and what an
 * unreachable profile and a missing blob answer.
 */
class StorageProfilesHttpTest {
    private static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}";

    @TempDir
    Path tmp;

    TestServer server;
    String admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(
                tmp.resolve("data"),
                new TestClock(),
                Map.of(
                        "small-state-max-size", "0",
                        "storage.other.type", "filesystem",
                        "storage.other.dir", tmp.resolve("other").toString(),
                        "read-cache-size", "0"));
        admin = server.token(null, Permission.ADMIN);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Response post(String path, String body) {
        return server.send("POST", path, body, admin);
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aProjectsStatesLiveOnTheProfileItWasCreatedWith() throws Exception {
        Response created = post("/api/v1/projects", "{\"name\":\"elsewhere\",\"storage\":\"other\"}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("storage").asText()).isEqualTo("other");
        assertThat(post("/api/v1/projects", "{\"name\":\"here\"}")
                        .json()
                        .path("storage")
                        .asText())
                .isEqualTo("local");

        assertThat(post("/tf/elsewhere/net", STATE).status()).isEqualTo(200);
        assertThat(post("/tf/here/net", STATE).status()).isEqualTo(200);

        assertThat(files(tmp.resolve("other"))).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("/other/elsewhere/net/"));
        assertThat(files(tmp.resolve("data/blobs/elsewhere"))).isEmpty();
        assertThat(files(tmp.resolve("data/blobs/here"))).hasSize(1);
        assertThat(server.send("GET", "/tf/elsewhere/net", null, admin).body()).isEqualTo(STATE);
        assertThat(server.send("GET", "/api/v1/projects/elsewhere", null, admin)
                        .json()
                        .path("storage")
                        .asText())
                .isEqualTo("other");

        List<AuditEvent> audited = server.node()
                .project()
                .audit()
                .list(new AuditQuery("elsewhere", null, null, "project.create", null, null, 10, null));
        assertThat(audited).singleElement().satisfies(e -> assertThat(e.detail())
                .contains("\"storage\":\"other\""));
    }

    @Test
    void theUiListsTheProfilesAndCreatesAProjectOnOne() throws Exception {
        UiClient ui = new UiClient(server, "ui storage password 1");
        var session = ui.login("ops", true);
        var created = ui.post(
                "/ui/projects",
                UiForms.form("name", "fromui", "storage", "other", "_csrf", session.csrf()),
                session.cookie());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(server.node()
                        .project()
                        .projects()
                        .find("fromui")
                        .orElseThrow()
                        .storage())
                .isEqualTo("other");
        var page = ui.get("/ui/storage", session.cookie());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(tmp.resolve("other").toString())
                .contains(">other<")
                .contains("default");
        var settings = ui.get("/ui/projects/fromui/settings", session.cookie());
        assertThat(settings.body()).contains("storage profile <code>other</code>");
    }

    @Test
    void anUnknownProfileIsRefusedAndNothingIsCreated() {
        Response refused = post("/api/v1/projects", "{\"name\":\"lost\",\"storage\":\"nope\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("nope").contains("other");
        assertThat(server.send("GET", "/api/v1/projects/lost", null, admin).status())
                .isEqualTo(404);
    }

    @Test
    void profilesAreListedForAGlobalAdminOnly() {
        post("/api/v1/projects", "{\"name\":\"elsewhere\",\"storage\":\"other\"}");
        JsonNode items =
                server.send("GET", "/api/v1/storage", null, admin).json().path("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("name").asText()).isEqualTo("local");
        assertThat(items.get(0).path("isDefault").asBoolean()).isTrue();
        assertThat(items.get(0).path("projects").asLong()).isEqualTo(1); // default
        assertThat(items.get(1).path("name").asText()).isEqualTo("other");
        assertThat(items.get(1).path("location").asText())
                .isEqualTo(tmp.resolve("other").toString());
        assertThat(items.get(1).path("healthy").asBoolean()).isTrue();
        assertThat(items.get(1).path("projects").asLong()).isEqualTo(1);
        String projectAdmin = server.token("default", Permission.ADMIN);
        assertThat(server.send("GET", "/api/v1/storage", null, projectAdmin).status())
                .isEqualTo(403);
    }

    @Test
    void anUnreachableProfileIs503ForItsProjectsOnlyAndComesBackWithoutARestart() throws Exception {
        post("/api/v1/projects", "{\"name\":\"elsewhere\",\"storage\":\"other\"}");
        assertThat(post("/tf/elsewhere/net", STATE).status()).isEqualTo(200);
        Path other = tmp.resolve("other");
        Path aside = tmp.resolve("other-aside");
        Files.move(other, aside);
        Files.writeString(other, "not a directory");

        Response write = post("/tf/elsewhere/net", STATE);
        assertThat(write.status()).isEqualTo(503);
        assertThat(write.header("Retry-After")).isNotBlank();
        assertThat(server.send("GET", "/tf/elsewhere/net", null, admin).status())
                .isEqualTo(503);
        assertThat(post("/tf/default/fine", STATE).status()).isEqualTo(200);
        Response ready = server.send("GET", "/readyz", null, (String) null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("degraded").contains("'other'");
        JsonNode listed =
                server.send("GET", "/api/v1/storage", null, admin).json().path("items");
        assertThat(listed.get(1).path("healthy").asBoolean()).isFalse();
        assertThat(listed.get(1).path("problem").asText()).isNotBlank();

        Files.delete(other);
        Files.move(aside, other);
        assertThat(post("/tf/elsewhere/net", STATE).status()).isEqualTo(200);
        assertThat(server.send("GET", "/readyz", null, (String) null).body().strip())
                .isEqualTo("ready");
    }

    @Test
    void aNodeStartsWhenAnS3ProfileIsUnreachableAndServesTheOthers() throws Exception {
        server.close();
        int dead;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        server = TestServer.start(
                tmp.resolve("data"),
                new TestClock(),
                Map.of(
                        "small-state-max-size", "0",
                        "storage.s3down.type", "s3",
                        "storage.s3down.bucket", "nowhere",
                        "storage.s3down.endpoint", "http://127.0.0.1:" + dead,
                        "storage.s3down.access-key-id", "id",
                        "storage.s3down.secret-access-key", "secret-that-stays-secret",
                        "storage.s3down.create", "true"));
        admin = server.token(null, Permission.ADMIN);
        assertThat(post("/api/v1/projects", "{\"name\":\"ons3\",\"storage\":\"s3down\"}")
                        .status())
                .isEqualTo(201);
        assertThat(post("/tf/ons3/net", STATE).status()).isEqualTo(503);
        assertThat(post("/tf/default/net", STATE).status()).isEqualTo(200);
        JsonNode listed =
                server.send("GET", "/api/v1/storage", null, admin).json().path("items");
        assertThat(listed.get(1).path("name").asText()).isEqualTo("s3down");
        assertThat(listed.get(1).path("healthy").asBoolean()).isFalse();
        assertThat(listed.toString()).doesNotContain("secret-that-stays-secret");
    }

    @Test
    void aNodeWithoutAProjectsProfileStartsAndAnswersThatProject503() throws Exception {
        post("/api/v1/projects", "{\"name\":\"elsewhere\",\"storage\":\"other\"}");
        assertThat(post("/tf/elsewhere/net", STATE).status()).isEqualTo(200);
        server.close();
        server = TestServer.start(tmp.resolve("data"), new TestClock(), Map.of("small-state-max-size", "0"));
        admin = server.token(null, Permission.ADMIN);
        Response read = server.send("GET", "/tf/elsewhere/net", null, admin);
        assertThat(read.status()).isEqualTo(503);
        assertThat(post("/tf/default/net", STATE).status()).isEqualTo(200);
    }

    @Test
    void aMissingBlobIs500NeverNotFoundNorAnEmptyState() throws Exception {
        assertThat(post("/tf/default/net", STATE).status()).isEqualTo(200);
        for (Path blob : files(tmp.resolve("data/blobs/default"))) {
            Files.delete(blob);
        }
        Response read = server.send("GET", "/tf/default/net", null, admin);
        assertThat(read.status()).isEqualTo(500);
        assertThat(read.body()).contains("missing");
    }

    @Test
    void theCliCreatesOnAProfileAndListsThem() throws Exception {
        server.close();
        Path data = tmp.resolve("data");
        Path config = Files.writeString(
                tmp.resolve("statefort.properties"),
                "storage.other.type=filesystem\nstorage.other.dir=" + tmp.resolve("other") + "\n");
        String[] common = {"--data-dir", data.toString(), "--config", config.toString()};
        assertThat(StatefortCli.run(concat(new String[] {"project", "create", "infra", "--storage", "other"}, common)))
                .isZero();
        assertThat(StatefortCli.run(concat(new String[] {"project", "create", "bad", "--storage", "nope"}, common)))
                .isNotZero();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(StatefortCli.run(concat(new String[] {"storage", "list"}, common)))
                    .isZero();
        } finally {
            System.setOut(original);
        }
        String listing = out.toString(StandardCharsets.UTF_8);
        assertThat(listing)
                .contains("local *")
                .contains("other")
                .contains(tmp.resolve("other").toString());
        assertThat(listing.lines()
                        .filter(l -> l.startsWith("other"))
                        .findFirst()
                        .orElseThrow())
                .contains("filesystem")
                .contains(" 1 ")
                .contains("ok");
        server = TestServer.start(
                data,
                new TestClock(),
                Map.of(
                        "small-state-max-size",
                        "0",
                        "storage.other.type",
                        "filesystem",
                        "storage.other.dir",
                        tmp.resolve("other").toString()));
    }

    @Test
    void aCliCommandThatTouchesNoBlobNeverReachesAProfile() throws Exception {
        server.close();
        try (java.net.ServerSocket s3 = new java.net.ServerSocket(0)) {
            s3.setSoTimeout(1);
            Path config = Files.writeString(
                    tmp.resolve("cli.properties"),
                    "storage.s3.type=s3\nstorage.s3.bucket=bkt\nstorage.s3.create=true\nstorage.s3.endpoint="
                            + "http://127.0.0.1:" + s3.getLocalPort() + "\nstorage.s3.access-key-id=id\n"
                            + "storage.s3.secret-access-key=secret\n");
            String[] common = {"--data-dir", tmp.resolve("data").toString(), "--config", config.toString()};
            assertThat(StatefortCli.run(concat(new String[] {"user", "create", "carol"}, common)))
                    .isZero();
            assertThat(StatefortCli.run(concat(new String[] {"project", "create", "p2", "--storage", "s3"}, common)))
                    .isZero();
            boolean contacted;
            try {
                s3.accept().close();
                contacted = true;
            } catch (java.net.SocketTimeoutException e) {
                contacted = false;
            }
            assertThat(contacted).as("the S3 endpoint was never contacted").isFalse();
        }
        server = TestServer.start(
                tmp.resolve("data"),
                new TestClock(),
                Map.of(
                        "small-state-max-size",
                        "0",
                        "storage.other.type",
                        "filesystem",
                        "storage.other.dir",
                        tmp.resolve("other").toString(),
                        "storage.s3.type",
                        "filesystem",
                        "storage.s3.dir",
                        tmp.resolve("s3dir").toString()));
    }

    @Test
    void aNodeWithoutAProjectsProfileStartsAndAnswers503ForThatProjectOnly() throws Exception {
        post("/api/v1/projects", "{\"name\":\"elsewhere\",\"storage\":\"other\"}");
        assertThat(post("/tf/elsewhere/net", STATE).status()).isEqualTo(200);
        server.close();
        server = TestServer.start(
                tmp.resolve("data"), new TestClock(), Map.of("read-cache-size", "0", "small-state-max-size", "0"));
        admin = server.token(null, Permission.ADMIN);
        Response read = server.send("GET", "/tf/elsewhere/net", null, admin);
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.header("Retry-After")).isNotBlank();
        assertThat(post("/tf/default/net", STATE).status()).isEqualTo(200);
        assertThat(post("/api/v1/projects", "{\"name\":\"blank\",\"storage\":\"\"}")
                        .status())
                .isEqualTo(400);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
