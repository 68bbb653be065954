package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.testing.CountingBlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 point 4: the insight work one request can cause is bounded. Over {@code
 * insight-max-state-size} a state is not parsed (413, download it instead); a parsed version is
 * reused (the state page and each filter keystroke do not parse the state again); masking is
 * linear (the 20k x 20k case is {@code SensitiveMaskingBenchmark} in bench/).
 */
class InsightLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CountingBlobStore blobs;
    private StatefortNode node;
    private StatefortServer server;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        var config = ConfigLoader.load(
                Map.of(
                        "data-dir", dir.toString(),
                        "port", "0",
                        "bind", "127.0.0.1",
                        "insight-max-state-size", "4KiB",
                        "read-cache-size", "0", // every blob read counted: one per parse
                        "small-state-max-size", "0"),
                Map.of(),
                null);
        blobs = new CountingBlobStore(new InMemoryBlobStore());
        node = StatefortNode.of(config, new InMemoryMetadataStore(), blobs);
        token = node.bootstrap().orElseThrow().token();
        server = StatefortServer.start(node);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        node.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String state(int resources, String secret) {
        StringBuilder s = new StringBuilder("{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[");
        for (int i = 0; i < resources; i++) {
            s.append(i == 0 ? "" : ",")
                    .append("{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"r")
                    .append(i)
                    .append("\",\"instances\":[{\"attributes\":{\"id\":\"x")
                    .append(i)
                    .append("\",\"input\":\"")
                    .append(secret)
                    .append("\"},\"sensitive_attributes\":[[{\"type\":\"get_attr\",\"value\":\"input\"}]]}]}");
        }
        return s.append("]}").toString();
    }

    @Test
    void aStateOverTheLimitIsNotAnalysedButCanBeDownloaded() throws Exception {
        String big = state(60, "hunter2");
        assertThat(big.length()).isGreaterThan(4096);
        assertThat(send("POST", "/tf/default/big", big).statusCode()).isEqualTo(200);
        String api = "/api/v1/projects/default/states/big";

        for (String path : new String[] {"/resources", "/outputs", "/versions/1/summary", "/diff?from=1&to=1"}) {
            HttpResponse<String> r = send("GET", api + path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(413);
            assertThat(r.body()).as(path).contains("too large to analyse").contains("download it");
        }
        HttpResponse<String> content = send("GET", api + "/versions/1/content", null);
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(big);
    }

    /** Issue 25: a small state nested deeper than an analysis follows is 413 too, and still downloads whole. */
    @Test
    void aStateNestedTooDeepIsNotAnalysedButCanBeDownloaded() throws Exception {
        String deep = new String(dev.statefort.core.testing.WorstCaseStates.deepArrays(250, 10, 0, 1), UTF_8);
        assertThat(deep.length()).isLessThan(4096);
        assertThat(send("POST", "/tf/default/deep", deep).statusCode()).isEqualTo(200);
        String api = "/api/v1/projects/default/states/deep";
        for (String path : new String[] {"/resources", "/versions/1/summary", "/diff?from=1&to=1"}) {
            HttpResponse<String> r = send("GET", api + path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(413);
            assertThat(r.body()).as(path).contains("too large to analyse", "nests deeper", "download it");
        }
        assertThat(send("GET", "/tf/default/deep", null).body()).isEqualTo(deep);
    }

    @Test
    void aParsedVersionIsReusedAndStillMasked() throws Exception {
        assertThat(send("POST", "/tf/default/small", state(3, "hunter2")).statusCode())
                .isEqualTo(200);
        String api = "/api/v1/projects/default/states/small";
        IndexSettled.await(node); // the indexer's one read of the new version is not counted
        blobs.opens.set(0);
        for (String filter : new String[] {"", "r", "r1", "r2", "terraform"}) {
            HttpResponse<String> r = send("GET", api + "/resources?filter=" + filter, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("hunter2").contains("(sensitive)");
        }
        assertThat(send("GET", api + "/outputs", null).statusCode()).isEqualTo(200);
        assertThat(blobs.opens.get())
                .as("the current version was read once for six analyses")
                .isEqualTo(1);

        assertThat(send("POST", "/tf/default/small", state(3, "other secret")).statusCode())
                .isEqualTo(200);
        IndexSettled.await(node);
        int before = blobs.opens.get();
        JsonNode after = JSON.readTree(send("GET", api + "/resources", null).body());
        assertThat(after.toString()).doesNotContain("other secret");
        assertThat(blobs.opens.get() - before)
                .as("a new version is a new blob: parsed once more")
                .isEqualTo(1);
    }
}
