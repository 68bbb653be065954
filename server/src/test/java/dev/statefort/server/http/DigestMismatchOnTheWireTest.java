package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 point 8, on the wire: with encryption off nothing but the version's SHA-256 notices a
 * changed blob; the response then ends short of its Content-Length (the client sees a broken
 * transfer), never a complete wrong state.
 */
class DigestMismatchOnTheWireTest {
    static final String STATE = "{\"version\":4,\"serial\":41,\"lineage\":\"l\",\"resources\":[]}";

    @TempDir
    Path dir;

    /**
     * Unencrypted, every state's blob in the (in-memory) blob store the test alters, and no decoded
     * copy kept by the write: every read and analysis reads the blob.
     */
    private ServerConfig blobsReadAtEveryRequest() {
        return ConfigLoader.load(
                Map.of(
                        "data-dir", dir.toString(),
                        "port", "0",
                        "bind", "127.0.0.1",
                        "encryption", "off",
                        "small-state-max-size", "0",
                        "read-cache-size", "0"),
                Map.of(),
                null);
    }

    @Test
    void aChangedBlobAbortsTheResponse() throws Exception {
        InMemoryBlobStore raw = new InMemoryBlobStore();
        var config = blobsReadAtEveryRequest();
        try (StatefortNode node = StatefortNode.of(config, new InMemoryMetadataStore(), raw)) {
            String token = node.bootstrap().orElseThrow().token();
            try (StatefortServer server = StatefortServer.start(node)) {
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/tf/default/s");
                HttpResponse<String> written = http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(STATE))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(written.statusCode()).isEqualTo(200);

                String blobKey = node.metadata()
                        .headVersion(new StateKey("default", "s"))
                        .orElseThrow()
                        .blobKey();
                byte[] stored = raw.open(blobKey).readAllBytes();
                String tampered = new String(stored, StandardCharsets.ISO_8859_1).replace("41", "42");
                raw.put(blobKey, new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));

                HttpRequest read = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .build();
                assertThatThrownBy(() -> {
                            HttpResponse<String> r = http.send(read, HttpResponse.BodyHandlers.ofString());
                            // a status line may arrive first; the body must never arrive whole
                            assertThat(r.body()).isNotEqualTo(tampered.substring(stored.length - STATE.length()));
                            throw new IOException("status " + r.statusCode() + " body " + r.body());
                        })
                        .isInstanceOf(IOException.class);
            }
        }
    }

    /** The parsers stop after the root object; the check must still run (a state file ends with a newline). */
    @Test
    void aChangedBlobIsNeverAnalysedEither() throws Exception {
        InMemoryBlobStore raw = new InMemoryBlobStore();
        var config = blobsReadAtEveryRequest();
        String withNewline = "{\"version\":4,\"serial\":41,\"lineage\":\"l\",\"outputs\":{\"o\":{\"value\":\"v41\","
                + "\"type\":\"string\"}},\"resources\":[]}\n";
        try (StatefortNode node = StatefortNode.of(config, new InMemoryMetadataStore(), raw)) {
            String token = node.bootstrap().orElseThrow().token();
            try (StatefortServer server = StatefortServer.start(node)) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> written = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/tf/default/n"))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(withNewline))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(written.statusCode()).isEqualTo(200);
                String blobKey = node.metadata()
                        .headVersion(new StateKey("default", "n"))
                        .orElseThrow()
                        .blobKey();
                byte[] stored = raw.open(blobKey).readAllBytes();
                String tampered = new String(stored, StandardCharsets.ISO_8859_1).replace("v41", "v42");
                raw.put(blobKey, new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));

                for (String path : new String[] {
                    "/api/v1/projects/default/states/n/outputs", "/api/v1/projects/default/states/n/resources"
                }) {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(500);
                    assertThat(r.body()).as(path).contains("integrity").doesNotContain("v42");
                }
            }
        }
    }
}
