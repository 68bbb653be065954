package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.Permission;
import dev.statefort.core.testing.TestClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 1 (first part): {@code GET /metrics} in Prometheus' format for a global admin, with
 * requests by route template, state writes by project and outcome, authentication failures and the
 * JVM's metrics.
 */
class MetricsTest {
    private static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"m\",\"resources\":[]}";

    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"), new TestClock());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aGlobalAdminReadsRequestsWritesAuthFailuresAndJvmMetrics() {
        String writer = server.token("default", Permission.WRITE);
        assertThat(server.send("POST", "/tf/default/metric-state", STATE, writer)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("LOCK", "/tf/default/metric-state", "{\"ID\":\"held\"}", writer)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("POST", "/tf/default/metric-state", STATE, writer)
                        .status())
                .isEqualTo(423);
        assertThat(server.send("GET", "/tf/default/metric-state", null, "sft_not-a-real-token")
                        .status())
                .isEqualTo(403);

        TestServer.Response metrics = server.send("GET", "/metrics", null, server.token(null, Permission.ADMIN));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains(
                        "statefort_http_server_requests_seconds_count{method=\"POST\",route=\"/tf/{project}/{state}\","
                                + "status=\"200\"} 1")
                .contains(
                        "statefort_http_server_requests_seconds_count{method=\"POST\",route=\"/tf/{project}/{state}\","
                                + "status=\"423\"} 1")
                .contains("statefort_state_writes_total{outcome=\"accepted\",project=\"default\"} 1.0")
                .contains("statefort_state_writes_total{outcome=\"locked\",project=\"default\"} 1.0")
                .contains("statefort_state_write_bytes_count{project=\"default\"} 1")
                .contains("statefort_auth_failures_total{kind=\"failed\"} 1.0")
                .contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds")
                .as("labels are route templates, never raw paths")
                .doesNotContain("metric-state");
    }

    @Test
    void metricsNeedAGlobalAdmin() {
        assertThat(server.send("GET", "/metrics", null, (String) null).status()).isEqualTo(401);
        assertThat(server.send("GET", "/metrics", null, server.token("default", Permission.ADMIN))
                        .status())
                .isEqualTo(403);
    }
}
