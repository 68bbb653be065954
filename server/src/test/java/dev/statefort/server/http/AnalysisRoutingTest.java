package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.testing.StateBodies;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: every answer drawn from a parsed state (REST, UI pages and the outputs-only backend read)
 * is computed on the analysis pool, never on the threads that serve Terraform. With a pool of one
 * thread held busy, each such endpoint waits for its turn and answers 503 with Retry-After, even when
 * the version is already parsed and cached, while a Terraform read and write still answer at once.
 * Were any of them computed on the request thread, it would answer 200 here.
 */
class AnalysisRoutingTest {
    @TempDir
    Path dir;

    @Test
    void everyAnalysisWaitsForThePoolAndTerraformDoesNot() throws Exception {
        try (TestServer server = TestServer.start(dir, Clock.systemUTC(), Map.of("insight-concurrency", "1"))) {
            String admin = server.token(null, Permission.ADMIN);
            String outputs = server.token("default", Permission.OUTPUTS);
            String state = StateBodies.withResources("l", 1, 3);
            assertThat(server.send("POST", "/tf/default/app", state, admin).status())
                    .isEqualTo(200);
            UiClient ui = new UiClient(server, "correct horse battery staple");
            ui.member("alice", Role.ADMIN);
            UiClient.Session alice = ui.login("alice");
            String api = "/api/v1/projects/default/states/app";
            String page = "/ui/projects/default/states/app";
            List<String> rest = List.of(
                    api + "/resources", api + "/outputs", api + "/versions/1/summary", api + "/diff?from=1&to=1");
            List<String> pages = List.of(page, page + "/versions/1", page + "/diff?from=1&to=1");
            for (String path : rest) {
                assertThat(server.send("GET", path, null, admin).status())
                        .as(path)
                        .isEqualTo(200); // parsed, cached
            }

            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                try {
                    server.node().analysisPool().run(() -> {
                        holding.countDown();
                        try {
                            return release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                for (String path : rest) {
                    TestServer.Response r = server.send("GET", path, null, admin);
                    assertThat(r.status()).as(path).isEqualTo(503);
                    assertThat(r.header("Retry-After")).as(path).isNotNull();
                }
                for (String path : pages) {
                    HttpResponse<String> r = ui.get(path, alice);
                    assertThat(r.statusCode()).as(path).isEqualTo(503);
                }
                assertThat(server.send("GET", "/tf/default/app", null, outputs).status())
                        .as("the outputs-only backend read")
                        .isEqualTo(503);
                assertThat(server.send("GET", "/tf/default/app", null, admin).body())
                        .as("a Terraform read does not wait for the pool")
                        .isEqualTo(state);
                assertThat(server.send("POST", "/tf/default/app", StateBodies.withResources("l", 2, 3), admin)
                                .status())
                        .as("nor does a write")
                        .isEqualTo(200);
            } finally {
                release.countDown();
                holder.join();
            }
            assertThat(server.send("GET", api + "/resources", null, admin).status())
                    .isEqualTo(200);
            assertThat(new String(
                            server.send("GET", "/tf/default/app", null, outputs).bytes(), UTF_8))
                    .contains("\"resources\"");
        }
    }
}
