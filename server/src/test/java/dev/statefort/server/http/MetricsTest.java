package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
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
    private final TestClock clock = new TestClock();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"), clock, java.util.Map.of("small-state-max-size", "0"));
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
    void locksStoreCallsCodecStagesAndTheReadCacheAreCounted() throws Exception {
        String writer = server.token("default", Permission.WRITE);
        assertThat(server.send("POST", "/tf/default/m2", STATE, writer).status())
                .isEqualTo(200);
        // a node keeps what it writes decoded: a version is decoded on a node that did not write it
        server.close();
        server = TestServer.start(tmp.resolve("data"), clock, java.util.Map.of("small-state-max-size", "0"));
        assertThat(server.send("POST", "/tf/default/m1", STATE, writer).status())
                .isEqualTo(200);
        assertThat(server.send("GET", "/tf/default/m2", null, writer).status()).isEqualTo(200);
        assertThat(server.send("GET", "/tf/default/m2", null, writer).status()).isEqualTo(200);
        assertThat(server.send("LOCK", "/tf/default/m2", "{\"ID\":\"first\"}", writer)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("LOCK", "/tf/default/m2", "{\"ID\":\"second\"}", writer)
                        .status())
                .as("a client that waits under -lock-timeout")
                .isEqualTo(423);
        assertThat(server.send("LOCK", "/tf/default/m3", "{\"ID\":\"third\"}", writer)
                        .status())
                .isEqualTo(200);
        clock.advance(java.time.Duration.ofMinutes(61)); // the default stale-lock threshold is 60 minutes
        assertThat(server.send("LOCK", "/tf/default/m3", "{\"ID\":\"third\"}", writer)
                        .status())
                .as("the holder's retry: m3's lock is active again, m2's stays idle")
                .isEqualTo(200);

        String metrics = server.send("GET", "/metrics", null, server.token(null, Permission.ADMIN))
                .body();
        assertThat(metrics)
                .contains("statefort_lock_requests_total{outcome=\"acquired\",project=\"default\"} 3.0")
                .contains("statefort_lock_requests_total{outcome=\"held\",project=\"default\"} 1.0")
                .contains("statefort_locks_held 2.0")
                .contains("statefort_locks_stale 1.0")
                .contains("statefort_store_operations_seconds_count{operation=\"put\",outcome=\"ok\","
                        + "profile=\"local\"} 1")
                .contains("statefort_store_operations_seconds_bucket{operation=\"put\",outcome=\"ok\","
                        + "profile=\"local\",le=\"30.0\"} 1")
                .contains("statefort_blob_codec_seconds_count{stage=\"compress\"} 1")
                .contains("statefort_blob_codec_seconds_count{stage=\"encrypt\"} 1")
                .contains("statefort_blob_codec_seconds_count{stage=\"decrypt\"} 1")
                .contains("statefort_blob_codec_seconds_count{stage=\"decompress\"} 1")
                .as("the first read decodes the blob, the second comes from the cache")
                .contains("statefort_read_cache_requests_total{result=\"miss\"} 1.0")
                .contains("statefort_read_cache_requests_total{result=\"hit\"} 1.0")
                .contains("disk_free_bytes{path=")
                .contains(
                        "statefort_http_server_requests_seconds_bucket{method=\"GET\",route=\"/tf/{project}/{state}\","
                                + "status=\"200\",le=\"30.0\"} 2");
    }

    @Test
    void aGzipReadIsOneCacheLookup() {
        String writer = server.token("default", Permission.WRITE);
        String big = "{\"version\":4,\"serial\":1,\"lineage\":\"g\",\"outputs\":{\"a\":{\"value\":\"" + "z".repeat(4096)
                + "\"}}}";
        assertThat(server.send("POST", "/tf/default/gz", big, writer).status()).isEqualTo(200);
        java.util.Map<String, String> gzip =
                java.util.Map.of("Authorization", TestServer.bearer(writer), "Accept-Encoding", "gzip");
        TestServer.Response first = server.send("GET", "/tf/default/gz", null, gzip);
        assertThat(first.header("Content-Encoding")).isEqualTo("gzip");
        server.send("GET", "/tf/default/gz", null, gzip);
        String metrics = server.send("GET", "/metrics", null, server.token(null, Permission.ADMIN))
                .body();
        assertThat(metrics)
                .as("the first read makes the gzip form (one miss), the second is served from it (one hit)")
                .contains("statefort_read_cache_requests_total{result=\"miss\"} 1.0")
                .contains("statefort_read_cache_requests_total{result=\"hit\"} 1.0");
    }

    @Test
    void anUnknownMethodIsOtherSoNobodyCanGrowTheLabels() {
        assertThat(server.send("BREW", "/tf/default/pot", null, (String) null).status())
                .isGreaterThanOrEqualTo(400);
        String metrics = server.send("GET", "/metrics", null, server.token(null, Permission.ADMIN))
                .body();
        assertThat(metrics).contains("method=\"other\"").doesNotContain("BREW");
    }

    @Test
    void metricsNeedAGlobalAdmin() {
        assertThat(server.send("GET", "/metrics", null, (String) null).status()).isEqualTo(401);
        assertThat(server.send("GET", "/metrics", null, server.token("default", Permission.ADMIN))
                        .status())
                .isEqualTo(403);
    }
}
