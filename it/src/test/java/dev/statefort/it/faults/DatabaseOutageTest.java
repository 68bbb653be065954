package dev.statefort.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5: PostgreSQL stopped under a running node. Requests get 503 with Retry-After within
 * 5 s, many at once included (no pile-up, no hang), {@code /readyz} says so, and service resumes when
 * the database is back, without restarting the node.
 */
class DatabaseOutageTest {
    private static final long WITHIN_MILLIS = 5_000;

    @TempDir
    Path tmp;

    @Test
    void aStoppedDatabaseIs503WithinSecondsAndServiceResumesWhenItIsBack() throws Exception {
        int pgPort = StatefortProcess.freePort();
        Path pgData = tmp.resolve("pg");
        EmbeddedPostgres postgres = startPostgres(pgData, pgPort);
        Path config = tmp.resolve("statefort.properties");
        Files.writeString(config, """
                database.url=jdbc:postgresql://127.0.0.1:%d/postgres
                database.user=postgres
                """.formatted(pgPort));
        try (StatefortProcess server = StatefortProcess.startConfigured(tmp, "DatabaseOutageTest", Map.of(), config)) {
            StatefortClient client = server.adminClient();
            String state = StatefortClient.statePath("default", "db-outage");
            byte[] v1 = Fixtures.terraformState(1, Fixtures.newLockId(), "before");
            assertThat(client.write(state, v1, null).status()).isEqualTo(200);

            postgres.close();
            try {
                long start = System.nanoTime();
                Response write =
                        client.sendUnchecked("POST", state, Fixtures.terraformState(2, Fixtures.newLockId(), "during"));
                long writeMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(write.status()).as("%s", write).isEqualTo(503);
                assertThat(write.header("Retry-After")).isNotBlank();
                assertThat(writeMillis).as("answered, not hung").isLessThan(WITHIN_MILLIS);

                // many requests at once: each is answered 503 in time, none waits behind the others
                ExecutorService clients = Executors.newFixedThreadPool(32);
                try {
                    List<Future<long[]>> answers = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        answers.add(clients.submit(() -> {
                            long t = System.nanoTime();
                            Response r = client.getUnchecked(state);
                            return new long[] {r.status(), (System.nanoTime() - t) / 1_000_000};
                        }));
                    }
                    long slowest = 0;
                    for (Future<long[]> answer : answers) {
                        long[] a = answer.get();
                        slowest = Math.max(slowest, a[1]);
                        assertThat(a[0]).isEqualTo(503);
                        assertThat(a[1]).as("answered within 5 s").isLessThan(WITHIN_MILLIS);
                    }
                    System.out.println("DatabaseOutageTest observed: write 503 after " + writeMillis
                            + " ms; 64 concurrent reads all 503, the slowest after " + slowest + " ms");
                } finally {
                    clients.shutdownNow();
                }
                Response ready = client.getUnchecked("/readyz");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.text()).startsWith("not ready");
            } finally {
                postgres = startPostgres(pgData, pgPort);
            }

            byte[] v3 = Fixtures.terraformState(3, Fixtures.newLockId(), "after");
            Response written = client.sendUnchecked("POST", state, v3);
            for (int i = 0; i < 100 && written.status() != 200; i++) {
                Thread.sleep(100); // the pool makes new connections as they are asked for
                written = client.sendUnchecked("POST", state, v3);
            }
            assertThat(written.status()).as("%s", written).isEqualTo(200);
            assertThat(client.get(state).body()).isEqualTo(v3);
            assertThat(client.getUnchecked("/readyz").status()).isEqualTo(200);
            assertThat(server.isAlive()).as("the same process, never restarted").isTrue();
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }
}
