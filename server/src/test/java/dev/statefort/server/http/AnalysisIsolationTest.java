package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.StateBodies;
import dev.statefort.core.testing.WorstCaseStates;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25 finding 1: a reader's analyses never stall the node. While as many worst-case analyses as
 * there are cores, plus two, run without pause (the resources of a state of colliding numbers, the
 * diff of two deeply nested versions, each asked again and again with a read token), another
 * project's Terraform write and {@code /healthz} each answer within a second. Before, the masking ran
 * on the virtual-thread carriers: six such calls made a write take 19 s and {@code /healthz} 6 s.
 */
class AnalysisIsolationTest {
    private static final long PROBE_LIMIT_MS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aWriteAndHealthzAnswerWithinASecondWhileAnalysesSaturateThePool() throws Exception {
        try (TestServer server = TestServer.start(dir, Clock.systemUTC())) {
            server.node().project().projects().create("heavy");
            String admin = server.token("heavy", Permission.WRITE);
            String reader = server.token("heavy", Permission.READ);
            String writer = server.token("default", Permission.WRITE);
            String api = "/api/v1/projects/heavy/states/";
            assertThat(post(server, "/tf/heavy/colliding", WorstCaseStates.collidingNumbers(60_000), admin))
                    .isEqualTo(200);
            assertThat(post(server, "/tf/heavy/deep", WorstCaseStates.deepArrays(190, 30_000, 0, 1), admin))
                    .isEqualTo(200);
            assertThat(post(server, "/tf/heavy/deep", WorstCaseStates.deepArrays(190, 30_000, 1_000_000, 2), admin))
                    .isEqualTo(200);
            List<String> heavy = List.of(api + "colliding/resources", api + "deep/diff?from=1&to=2");
            var diff = server.send("GET", heavy.get(1), null, reader).json();
            assertThat(diff.path("changes").path("truncated").asBoolean())
                    .as("30,000 changes 190 levels deep: the diff says it stopped at its cap")
                    .isTrue();
            assertThat(diff.path("changes")
                            .path("resourcesChanged")
                            .path(0)
                            .path("changes")
                            .size())
                    .isBetween(1, 10_000);

            int analysts = Runtime.getRuntime().availableProcessors() + 2;
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < analysts; i++) {
                String path = heavy.get(i % heavy.size());
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 10_000 && running.get(); n++) {
                        int status = status(server, path, reader);
                        statuses.add(status);
                        if (status == 200) {
                            answered.incrementAndGet();
                        }
                    }
                }));
            }
            try {
                long warm = System.nanoTime() + 60_000_000_000L;
                while (answered.get() < analysts && System.nanoTime() < warm) {
                    Thread.sleep(20); // every analysis ran once: the caches are warm, the pool is busy
                }
                int saturated = 0;
                for (int round = 0; round < 5; round++) {
                    saturated += server.node().analysisPool().available() == 0 ? 1 : 0;
                    long write = timed(() -> assertThat(post(
                                    server,
                                    "/tf/default/other",
                                    StateBodies.withResources("l", 1, 3).getBytes(UTF_8),
                                    writer))
                            .isEqualTo(200));
                    long health = timed(() -> assertThat(server.send("GET", "/healthz", null, (String) null)
                                    .status())
                            .isEqualTo(200));
                    System.out.printf("analysis isolation: write %d ms, /healthz %d ms%n", write, health);
                    assertThat(write)
                            .as("a Terraform write while analyses run (ms)")
                            .isLessThan(PROBE_LIMIT_MS);
                    assertThat(health).as("/healthz while analyses run (ms)").isLessThan(PROBE_LIMIT_MS);
                }
                assertThat(saturated)
                        .as("probes that began with every analysis thread busy")
                        .isPositive();
                int before = answered.get();
                Thread.sleep(200);
                assertThat(answered.get())
                        .as("the analyses kept running during the probes")
                        .isGreaterThan(before);
            } finally {
                running.set(false);
                for (Thread t : threads) {
                    t.join();
                }
            }
            assertThat(statuses)
                    .as("an analysis is answered or told to come back, never failed")
                    .allMatch(s -> s == 200 || s == 503);
        }
    }

    /** The answer's status; 0 when none came (the client's 30 s timeout). */
    private static int status(TestServer server, String path, String token) {
        try {
            return server.send("GET", path, null, token).status();
        } catch (RuntimeException noAnswer) {
            return 0;
        }
    }

    private static int post(TestServer server, String path, byte[] body, String token) {
        return server.send("POST", path, new String(body, UTF_8), token).status();
    }

    private static long timed(Runnable probe) {
        long start = System.nanoTime();
        probe.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
