package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.Permission;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 1: with {@code management-port} set, {@code /metrics}, {@code /healthz} and
 * {@code /readyz} are served there without credentials, and nothing else is; the main port still
 * asks a global admin for {@code /metrics}.
 */
class ManagementPortTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void theManagementListenerServesMetricsAndHealthWithoutCredentialsAndNothingElse() throws Exception {
        try (TestServer server =
                TestServer.start(tmp.resolve("data"), Clock.systemUTC(), Map.of("management-port", "0"))) {
            int management = server.server().managementPort();
            assertThat(management).isPositive().isNotEqualTo(server.port());
            String writer = server.token("default", Permission.WRITE);
            assertThat(server.send("POST", "/tf/default/mgmt", "{\"version\":4,\"serial\":1,\"lineage\":\"l\"}", writer)
                            .status())
                    .isEqualTo(200);

            HttpResponse<String> metrics = get(management, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("statefort_state_writes_total{outcome=\"accepted\",project=\"default\"} 1.0")
                    .contains("jvm_memory_used_bytes");
            assertThat(get(management, "/healthz").body()).isEqualToIgnoringWhitespace("ok");
            assertThat(get(management, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(management, "/api/v1/projects").statusCode())
                    .as("the API is not on the management port")
                    .isEqualTo(404);
            assertThat(get(management, "/tf/default/mgmt").statusCode())
                    .as("nor the backend")
                    .isEqualTo(404);
            assertThat(get(management, "/ui/").statusCode()).as("nor the UI").isEqualTo(404);

            assertThat(server.send("GET", "/metrics", null, (String) null).status())
                    .as("the main port still asks for credentials")
                    .isEqualTo(401);
        }
    }

    @Test
    void withoutAManagementPortThereIsNoSecondListener() throws Exception {
        try (TestServer server = TestServer.start(tmp.resolve("data"), Clock.systemUTC())) {
            assertThat(server.server().managementPort()).isEqualTo(-1);
        }
    }

    @Test
    void theSettingsAreCheckedAtStartUp() {
        Path data = tmp.resolve("d");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("data-dir", data.toString(), "port", "9000", "management-port", "9000"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management-port")
                .hasMessageContaining("port of its own");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("data-dir", data.toString(), "management-bind", "0.0.0.0"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management-port is not");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("data-dir", data.toString(), "management-port", "http"), Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management-port");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of("data-dir", data.toString(), "management-port", "9100", "management-bind", "not a host"),
                        Map.of(),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management-bind");
        assertThat(ConfigLoader.load(Map.of("data-dir", data.toString(), "management-port", "9100"), Map.of(), null)
                        .management()
                        .bind())
                .as("loopback unless said otherwise")
                .isEqualTo("127.0.0.1");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
