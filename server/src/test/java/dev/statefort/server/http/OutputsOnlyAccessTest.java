package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.nio.file.Path;
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

    private final ObjectMapper json = new ObjectMapper();
    private TestServer server;
    private String admin;
    private String outputs;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.over(dataDir.resolve("data"), new InMemoryMetadataStore(), new InMemoryBlobStore());
        admin = server.token(null, Permission.ADMIN);
        outputs = server.token("default", Permission.OUTPUTS);
        assertThat(send("POST", "/tf/default/net", STATE, admin).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void outputsTokenGetsTheRealHeaderFieldsNonSensitiveOutputsAndNoResources() throws Exception {
        TestServer.Response response = send("GET", "/tf/default/net", null, outputs);
        assertThat(response.status()).isEqualTo(200);
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
                        .status())
                .isEqualTo(200);
        JsonNode state =
                json.readTree(send("GET", "/tf/default/net", null, outputs).body());
        assertThat(state.path("outputs").fieldNames()).toIterable().containsExactlyInAnyOrder("vpc_id", "db_password");
        assertThat(state.path("outputs").path("db_password").path("value").asText())
                .isEqualTo("hunter2");
    }

    @Test
    void outputsTokenCannotLockWriteOrUseTheApi() throws Exception {
        assertThat(send("LOCK", "/tf/default/net", "{\"ID\":\"x\"}", outputs).status())
                .isEqualTo(403);
        assertThat(send("POST", "/tf/default/net", STATE, outputs).status()).isEqualTo(403);
        for (String path : new String[] {
            "/api/v1/projects/default/states",
            "/api/v1/projects/default/states/net/versions/1/content",
            "/api/v1/projects/default/states/net/resources",
            "/api/v1/projects/default/states/net/outputs"
        }) {
            TestServer.Response r = send("GET", path, null, outputs);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.body()).doesNotContain("resource-secret-attr").doesNotContain("hunter2");
        }
    }

    private TestServer.Response send(String method, String path, String body, String token) {
        return server.send(method, path, body, token);
    }
}
