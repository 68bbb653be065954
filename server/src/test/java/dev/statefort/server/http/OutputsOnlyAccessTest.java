package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token with permission {@code outputs} reads a synthesized state: outputs it may see, no resources. */
class OutputsOnlyAccessTest {
    private static final String STATE = """
            {"version":4,"terraform_version":"1.11.4","serial":7,"lineage":"lin-1",
             "outputs":{"vpc_id":{"value":"vpc-123","type":"string"},
                        "region":{"value":"eu-west-1","type":"string"},
                        "db_password":{"value":"hunter2","type":"string","sensitive":true}},
             "resources":[{"mode":"managed","type":"terraform_data","name":"db","instances":[
                {"attributes":{"id":"x","input":{"value":"resource-secret-attr","type":"string"}}}]}]}
            """;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private StatefortNode node;
    private StatefortServer server;
    private String admin;
    private String outputs;

    @BeforeEach
    void start() throws Exception {
        ServerConfig config =
                ConfigLoader.load(Map.of("data-dir", dataDir.resolve("data").toString(), "port", "0"), Map.of(), null);
        node = StatefortNode.of(config, new InMemoryMetadataStore(), new InMemoryBlobStore());
        node.bootstrap();
        server = StatefortServer.start(node);
        admin = node.tokens().create(null, Permission.ADMIN, "admin").token();
        outputs =
                node.tokens().create("default", Permission.OUTPUTS, "consumer").token();
        assertThat(send("POST", "/tf/default/net", STATE, admin).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        node.close();
    }

    @Test
    void outputsTokenGetsTheRealHeaderFieldsNonSensitiveOutputsAndNoResources() throws Exception {
        HttpResponse<String> response = send("GET", "/tf/default/net", null, outputs);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode state = json.readTree(response.body());
        assertThat(state.path("serial").asLong()).isEqualTo(7);
        assertThat(state.path("lineage").asText()).isEqualTo("lin-1");
        assertThat(state.path("version").asInt()).isEqualTo(4);
        assertThat(state.path("terraform_version").asText()).isEqualTo("1.11.4");
        assertThat(state.path("resources").isArray()).isTrue();
        assertThat(state.path("resources")).isEmpty();
        assertThat(state.path("outputs").fieldNames()).toIterable().containsExactlyInAnyOrder("vpc_id", "region");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("resource-secret-attr");
    }

    @Test
    void theAllowlistLimitsOutputsAndSensitiveOnesOnlyWhenExplicitlyAllowed() throws Exception {
        String access = "{\"outputsAllowed\":[\"vpc_id\"],\"sensitiveOutputsAllowed\":[\"db_password\"]}";
        assertThat(send("PUT", "/api/v1/projects/default/states/net/outputs-access", access, admin)
                        .statusCode())
                .isEqualTo(200);
        JsonNode state =
                json.readTree(send("GET", "/tf/default/net", null, outputs).body());
        assertThat(state.path("outputs").fieldNames()).toIterable().containsExactlyInAnyOrder("vpc_id", "db_password");
        assertThat(state.path("outputs").path("db_password").path("value").asText())
                .isEqualTo("hunter2");
    }

    @Test
    void outputsTokenCannotLockWriteOrUseTheApi() throws Exception {
        assertThat(send("LOCK", "/tf/default/net", "{\"ID\":\"x\"}", outputs).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/tf/default/net", STATE, outputs).statusCode()).isEqualTo(403);
        for (String path : new String[] {
            "/api/v1/projects/default/states",
            "/api/v1/projects/default/states/net/versions/1/content",
            "/api/v1/projects/default/states/net/resources",
            "/api/v1/projects/default/states/net/outputs"
        }) {
            HttpResponse<String> r = send("GET", path, null, outputs);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).doesNotContain("resource-secret-attr").doesNotContain("hunter2");
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
