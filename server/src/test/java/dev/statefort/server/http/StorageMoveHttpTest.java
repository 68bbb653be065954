package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.cli.StatefortCli;
import dev.statefort.server.http.TestServer.Response;
import java.io.IOException;
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
 * Issue 13 point 4 over HTTP and the CLI, on real stores (two directories, encryption on): a
 * project moved to another profile and back, its progress, and the refusals.
 */
class StorageMoveHttpTest {
    @TempDir
    Path tmp;

    TestServer server;
    String admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"), new TestClock(), settings());
        admin = server.token(null, Permission.ADMIN);
    }

    private Map<String, String> settings() {
        return Map.of(
                "small-state-max-size",
                "0", // the states' blobs on the profiles, to be moved
                "storage.other.type",
                "filesystem",
                "storage.other.dir",
                tmp.resolve("other").toString());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aProjectMovesToAnotherProfileAndBackWithEveryVersionIntact() throws Exception {
        for (int serial = 1; serial <= 3; serial++) {
            assertThat(write("default", "net", serial).status()).isEqualTo(200);
        }
        assertThat(write("default", "app", 1).status()).isEqualTo(200);
        assertThat(files(tmp.resolve("data/blobs/default"))).hasSize(4);

        Response started = send("POST", "/api/v1/projects/default/storage/move", "{\"to\":\"other\"}");
        assertThat(started.status()).as("%s", started).isEqualTo(202);
        assertThat(started.json().path("movingTo").asText()).isEqualTo("other");
        JsonNode done = awaitDone();
        assertThat(done.path("storage").asText()).isEqualTo("other");
        assertThat(done.path("blobs").asLong()).isEqualTo(4);
        assertThat(done.path("remaining").asLong()).isZero();
        assertThat(files(tmp.resolve("data/blobs/default"))).isEmpty();
        assertThat(files(tmp.resolve("other/default"))).hasSize(4);
        assertThat(send("GET", "/api/v1/projects/default", null)
                        .json()
                        .path("storage")
                        .asText())
                .isEqualTo("other");
        assertEveryVersionReads();
        assertThat(write("default", "net", 4).status()).isEqualTo(200);
        assertThat(files(tmp.resolve("other/default"))).hasSize(5);

        assertThat(send("POST", "/api/v1/projects/default/storage/move", "{\"to\":\"local\"}")
                        .status())
                .isEqualTo(202);
        assertThat(awaitDone().path("storage").asText()).isEqualTo("local");
        assertThat(files(tmp.resolve("other/default"))).isEmpty();
        assertEveryVersionReads();
        assertThat(server.node()
                        .project()
                        .audit()
                        .list(new AuditQuery("default", null, "storage.move.finish", 10, null)))
                .hasSize(2);
    }

    @Test
    void badRequestsAreRefusedWithTheRightStatus() throws Exception {
        assertThat(send("POST", "/api/v1/projects/default/storage/move", "{}").status())
                .isEqualTo(400);
        assertThat(send("POST", "/api/v1/projects/default/storage/move", "{\"to\":\"nope\"}")
                        .status())
                .isEqualTo(400);
        assertThat(send("POST", "/api/v1/projects/missing/storage/move", "{\"to\":\"other\"}")
                        .status())
                .isEqualTo(404);
        server.node().metadata().beginStorageMove("default", "local", "other");
        Response conflict = send("POST", "/api/v1/projects/default/storage/move", "{\"to\":\"local\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).contains("'other'");
        UiClient ui = new UiClient(server, "ui move password 1");
        var session = ui.login("ops", true);
        assertThat(ui.get("/ui/projects/default/settings", session.cookie()).body())
                .contains("being moved to <code>other</code>");
        String projectAdmin = server.token("default", Permission.ADMIN);
        assertThat(server.send("GET", "/api/v1/projects/default/storage/move", null, projectAdmin)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theCliMovesAProjectAndResumesWhereItStopped() throws Exception {
        assertThat(write("default", "net", 1).status()).isEqualTo(200);
        assertThat(write("default", "net", 2).status()).isEqualTo(200);
        server.close();
        Path config = Files.writeString(
                tmp.resolve("statefort.properties"),
                "storage.other.type=filesystem\nstorage.other.dir=" + tmp.resolve("other") + "\n");
        String[] move = {
            "storage",
            "move",
            "--project",
            "default",
            "--to",
            "other",
            "--data-dir",
            tmp.resolve("data").toString(),
            "--config",
            config.toString()
        };
        assertThat(StatefortCli.run(move)).isZero();
        assertThat(files(tmp.resolve("data/blobs/default"))).isEmpty();
        assertThat(files(tmp.resolve("other/default"))).hasSize(2);
        assertThat(StatefortCli.run(move)).as("run again: nothing left to do").isZero();

        server = TestServer.start(tmp.resolve("data"), new TestClock(), settings());
        admin = server.token(null, Permission.ADMIN);
        assertThat(send("GET", "/api/v1/projects/default/storage/move", null)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("done");
        assertEveryVersionReads();
    }

    private JsonNode awaitDone() throws InterruptedException {
        JsonNode progress = null;
        for (int i = 0; i < 1000; i++) {
            progress =
                    send("GET", "/api/v1/projects/default/storage/move", null).json();
            if (progress.path("state").asText().equals("done")
                    && !progress.path("running").asBoolean()) {
                return progress;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the move did not finish: " + progress);
    }

    private void assertEveryVersionReads() {
        for (String state : List.of("net", "app")) {
            JsonNode versions = send("GET", "/api/v1/projects/default/states/" + state + "/versions", null)
                    .json()
                    .path("items");
            for (JsonNode v : versions) {
                long n = v.path("number").asLong();
                Response content =
                        send("GET", "/api/v1/projects/default/states/" + state + "/versions/" + n + "/content", null);
                assertThat(content.status()).as("%s version %d", state, n).isEqualTo(200);
                assertThat(content.body()).isEqualTo(body(v.path("serial").asInt()));
            }
        }
    }

    private Response write(String project, String state, int serial) {
        return send("POST", "/tf/" + project + "/" + state, body(serial));
    }

    private Response send(String method, String path, String body) {
        return server.send(method, path, body, admin);
    }

    private static String body(int serial) {
        return "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"l\",\"resources\":[]}";
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
