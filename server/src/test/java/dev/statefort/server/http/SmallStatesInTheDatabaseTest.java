package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.http.TestServer.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27 point 3 on the embedded default (SQLite + files, encryption on): a small state's blob is
 * kept in the database with its version (no file, one commit), a large one streams to the blob store;
 * both read back exactly; a small blob altered in the database fails its integrity check; a storage
 * move leaves small blobs where they are; retention deletes them with their versions.
 */
class SmallStatesInTheDatabaseTest {
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
                        "storage.other.type", "filesystem",
                        "storage.other.dir", tmp.resolve("other").toString(),
                        "read-cache-size", "0"));
        admin = server.token(null, Permission.ADMIN);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aSmallStateIsKeptInTheDatabaseAndALargeOneInTheBlobStore() throws Exception {
        String small = state(1, 200);
        String large = state(2, 300_000); // random text: compresses to far more than 64 KiB
        assertThat(send("POST", "/tf/default/small", small).status()).isEqualTo(200);
        assertThat(files(tmp.resolve("data/blobs")))
                .as("no blob file for a small state")
                .isEmpty();
        assertThat(smallBlobs()).isEqualTo(1);

        assertThat(send("POST", "/tf/default/large", large).status()).isEqualTo(200);
        assertThat(files(tmp.resolve("data/blobs/default"))).hasSize(1);
        assertThat(smallBlobs()).isEqualTo(1);

        assertThat(send("GET", "/tf/default/small", null).body()).isEqualTo(small);
        assertThat(send("GET", "/tf/default/large", null).body()).isEqualTo(large);
        assertThat(headBlobKey("small")).contains("/_db/");
        assertThat(headBlobKey("large")).doesNotContain("/_db/");
    }

    @Test
    void aSmallBlobAlteredInTheDatabaseFailsItsIntegrityCheck() throws Exception {
        assertThat(send("POST", "/tf/default/s", state(1, 100)).status()).isEqualTo(200);
        try (Connection c = database();
                Statement s = c.createStatement()) {
            byte[] content;
            try (ResultSet rs = s.executeQuery("SELECT content FROM small_blobs")) {
                rs.next();
                content = rs.getBytes(1);
            }
            content[content.length - 5] ^= 1;
            try (var update = c.prepareStatement("UPDATE small_blobs SET content = ?")) {
                update.setBytes(1, content);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        Response read = send("GET", "/tf/default/s", null);
        assertThat(read.status()).isEqualTo(500);
        assertThat(read.body()).contains("integrity").doesNotContain("serial");
    }

    @Test
    void aStorageMoveLeavesSmallBlobsInTheDatabaseAndEveryVersionReads() throws Exception {
        for (int serial = 1; serial <= 3; serial++) {
            assertThat(send("POST", "/tf/default/net", state(serial, 100)).status())
                    .isEqualTo(200);
        }
        assertThat(send("POST", "/api/v1/projects/default/storage/move", "{\"to\":\"other\"}")
                        .status())
                .isEqualTo(202);
        JsonNode done = awaitMoved();
        assertThat(done.path("blobs").asLong()).isEqualTo(3);
        assertThat(done.path("remaining").asLong()).isZero();
        assertThat(files(tmp.resolve("other"))).isEmpty();
        assertThat(smallBlobs()).isEqualTo(3);
        for (int n = 1; n <= 3; n++) {
            Response content = send("GET", "/api/v1/projects/default/states/net/versions/" + n + "/content", null);
            assertThat(content.status()).isEqualTo(200);
            assertThat(content.body()).isEqualTo(state(n, 100));
        }
    }

    @Test
    void retentionDeletesSmallBlobsWithTheirVersions() throws Exception {
        assertThat(send("PUT", "/api/v1/projects/default/settings", "{\"keepVersions\":2}")
                        .status())
                .isIn(200, 204);
        for (int serial = 1; serial <= 5; serial++) {
            assertThat(send("POST", "/tf/default/s", state(serial, 100)).status())
                    .isEqualTo(200);
        }
        assertThat(smallBlobs()).isEqualTo(2);
        assertThat(send("GET", "/tf/default/s", null).body()).isEqualTo(state(5, 100));
    }

    private JsonNode awaitMoved() throws InterruptedException {
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

    private String headBlobKey(String state) throws Exception {
        try (Connection c = database();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT blob_key FROM versions WHERE state = '" + state + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long smallBlobs() throws Exception {
        try (Connection c = database();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM small_blobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/statefort.db"));
    }

    private Response send(String method, String path, String body) {
        return server.send(method, path, body, admin);
    }

    /** A state with {@code padding} characters of random text (incompressible). */
    private static String state(int serial, int padding) {
        StringBuilder text = new StringBuilder();
        Random random = new Random(serial);
        for (int i = 0; i < padding; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"l\",\"outputs\":{\"x\":{\"value\":\"" + text
                + "\",\"type\":\"string\"}},\"resources\":[]}";
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
