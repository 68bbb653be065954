package dev.statefort.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol rule 6 and issue point 9 for a real outage: the blob directory of the embedded default disappears (an
 * unmounted volume). Clients must see 503 with Retry-After (which Terraform honours), never a 500, and
 * {@code /readyz} must say so; everything works again once the directory is back.
 */
class StorageOutageTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path serverDir;

    StatefortProcess server;
    Path blobs;
    Path away;

    @BeforeEach
    void startServer() {
        // the states' blobs in the blob directory this test makes unusable
        server = StatefortProcess.startWithEnvironment(
                serverDir, "StorageOutageTest", StatefortProcess.BLOBS_READ_FROM_STORE);
        blobs = server.dataDir().resolve("blobs");
        away = server.dataDir().resolve("blobs-unmounted");
        assertThat(blobs).as("embedded default keeps blobs in <data-dir>/blobs").isDirectory();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void writesWhileTheBlobDirectoryIsUnusableAnswer503WithRetryAfterAndWorkAgainAfterwards() throws Exception {
        String state = StatefortClient.statePath("default", "outage-write");
        byte[] before = Fixtures.terraformState(1, Fixtures.newLockId(), "before");
        assertThat(server.adminClient().write(state, before, null).status()).isEqualTo(200);

        // The blob directory's path now names a plain file: nothing can be stored there.
        Files.move(blobs, away);
        Files.writeString(blobs, "not a directory");
        HttpResponse<String> write = raw("POST", state, Fixtures.terraformState(2, Fixtures.newLockId(), "during"));
        HttpResponse<String> ready = raw("GET", "/readyz", null);
        Files.delete(blobs);
        Files.move(away, blobs);

        assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
        assertThat(write.headers().firstValue("Retry-After")).isPresent();
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(raw("GET", "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(server.adminClient().get(state).body()).isEqualTo(before);
        byte[] after = Fixtures.terraformState(2, Fixtures.newLockId(), "after");
        assertThat(server.adminClient().write(state, after, null).status()).isEqualTo(200);
        assertThat(server.adminClient().get(state).body()).isEqualTo(after);
    }

    @Test
    void vanishedBlobDirectoryIsAnOutageNotAnEmptyStore() throws Exception {
        String state = StatefortClient.statePath("default", "outage-vanished");
        byte[] before = Fixtures.terraformState(1, Fixtures.newLockId(), "before");
        assertThat(server.adminClient().write(state, before, null).status()).isEqualTo(200);

        Files.move(blobs, away);
        HttpResponse<String> read = raw("GET", state, null);
        HttpResponse<String> write = raw("POST", state, Fixtures.terraformState(2, Fixtures.newLockId(), "during"));
        HttpResponse<String> ready = raw("GET", "/readyz", null);
        boolean recreated = Files.exists(blobs);
        if (recreated) {
            deleteTree(blobs);
        }
        Files.move(away, blobs);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
        assertThat(read.headers().firstValue("Retry-After")).isPresent();
        assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(recreated)
                .as("the server must not recreate a vanished blob root")
                .isFalse();
        assertThat(server.adminClient().get(state).body()).isEqualTo(before);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Without StatefortClient's no-5xx check: here a 503 is the expected answer. */
    private HttpResponse<String> raw(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
