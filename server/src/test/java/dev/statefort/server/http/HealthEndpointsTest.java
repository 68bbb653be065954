package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /healthz and /readyz on the real embedded default (SQLite file + file-system blobs). */
class HealthEndpointsTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readyzAnswers503WithRetryAfterWhenTheBlobStoreBreaksAndRecovers() throws Exception {
        ServerConfig config = ConfigLoader.load(
                Map.of("data-dir", dataDir.toString(), "port", "0", "bind", "127.0.0.1"), Map.of(), null);
        try (StatefortNode node = StatefortNode.open(config);
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

            Path blobs = config.blobDir();
            Path aside = dataDir.resolve("blobs-aside");
            Files.move(blobs, aside);
            Files.writeString(blobs, "not a directory");
            // a healthy answer is reused for StorageHealth.HEALTHY_FOR: ask until the failure shows (bounded)
            HttpResponse<String> notReady = get(server, "/readyz");
            for (int i = 0; i < 50 && notReady.statusCode() == 200; i++) {
                Thread.sleep(100);
                notReady = get(server, "/readyz");
            }
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

            Files.delete(blobs);
            Files.move(aside, blobs);
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readyzAnswers503WhenTheDatabaseIsGone() throws Exception {
        ServerConfig config = ConfigLoader.load(
                Map.of("data-dir", dataDir.toString(), "port", "0", "bind", "127.0.0.1"), Map.of(), null);
        try (StatefortNode node = StatefortNode.open(config);
                StatefortServer server = StatefortServer.start(node)) {
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            node.metadata().close();
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
            HttpResponse<String> write = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tf/default/x"))
                            .header("Authorization", "Bearer sft_aaaaaaaaaaaa_" + "0".repeat(64))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(write.headers().firstValue("Retry-After")).isPresent();
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("statefort.db");
        }
    }

    /**
     * Issue 25 finding 7: {@code /readyz} on the main port is for anyone, so it names what is wrong
     * (a profile, the database) but never why (a path, a bucket, an account, a database error);
     * the management port's {@code /readyz} and the log say why.
     */
    @Test
    void theMainPortSaysWhatIsWrongAndOnlyTheManagementPortSaysWhy() throws Exception {
        ServerConfig config = ConfigLoader.load(
                Map.of("data-dir", dataDir.toString(), "port", "0", "bind", "127.0.0.1", "management-port", "0"),
                Map.of(),
                null);
        try (StatefortNode node = StatefortNode.open(config);
                StatefortServer server = StatefortServer.start(node)) {
            node.bootstrap();
            assertThat(get(server, "/readyz").body().strip()).isEqualTo("ready");
            Path blobs = config.blobDir();
            Files.move(blobs, dataDir.resolve("blobs-aside"));
            Files.writeString(blobs, "not a directory");

            HttpResponse<String> main = get(server, "/readyz");
            for (int i = 0; i < 50 && main.statusCode() == 200; i++) { // past StorageHealth.HEALTHY_FOR
                Thread.sleep(100);
                main = get(server, "/readyz");
            }
            assertThat(main.statusCode()).isEqualTo(503);
            assertThat(main.body().strip())
                    .isEqualTo("not ready: storage profile 'local' is unavailable")
                    .doesNotContain(dataDir.toString());

            HttpResponse<String> management = get(server.managementPort(), "/readyz");
            assertThat(management.statusCode()).isEqualTo(503);
            assertThat(management.body())
                    .startsWith("not ready: storage profile 'local' is unavailable: ")
                    .contains(blobs.toString());

            node.metadata().close();
            HttpResponse<String> noDatabase = get(server, "/readyz");
            assertThat(noDatabase.statusCode()).isEqualTo(503);
            assertThat(noDatabase.body().strip()).isEqualTo("not ready: the database is unavailable");
            assertThat(get(server.managementPort(), "/readyz").body())
                    .startsWith("not ready: the database is unavailable: ");
        }
    }

    private HttpResponse<String> get(StatefortServer server, String path) throws Exception {
        return get(server.port(), path);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
