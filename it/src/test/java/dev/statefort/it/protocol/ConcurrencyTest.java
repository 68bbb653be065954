package dev.statefort.it.protocol;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients at once, over separate connections: the lock has exactly one winner and no write is lost. */
class ConcurrencyTest extends ServerTestBase {
    private static final int CLIENTS = 12;

    @Test
    void concurrentLocksWithDifferentIdsHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 4; round++) {
            String state = newStatePath("lock-race");
            List<byte[]> infos = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                infos.add(lockInfo(newLockId()));
            }

            List<Response> responses =
                    race(CLIENTS, i -> lock(writer, LockLayout.values()[i % 3], state, infos.get(i)));

            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                if (responses.get(i).status() == 200) {
                    winners.add(i);
                }
            }
            assertThat(winners).as("exactly one LOCK wins: %s", responses).hasSize(1);
            byte[] holder = infos.get(winners.get(0));
            assertThat(responses).allSatisfy(r -> {
                if (r.status() != 200) {
                    assertThat(r.status()).as("%s", r).isEqualTo(423);
                    assertThat(r.body()).isEqualTo(holder);
                }
            });
            assertLockedBy(state, holder);
            assertThat(unlock(writer, LockLayout.STATE_URL, state, holder).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void concurrentWritesAreAllKeptAsDistinctConsecutiveVersions() throws Exception {
        String name = newStateName("write-race");
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            bodies.add(Fixtures.terraformState(i + 1, lineage, "writer-" + i));
        }

        List<Response> responses = race(CLIENTS, i -> writer.write(state, bodies.get(i), null));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(200));
        JsonNode items = writer.versions(PROJECT, name).path("items");
        assertThat(items).hasSize(CLIENTS);
        Set<Long> numbers = new HashSet<>();
        Map<String, Long> numberBySha = new HashMap<>();
        items.forEach(item -> {
            numbers.add(item.path("number").asLong());
            numberBySha.put(
                    item.path("sha256").asText().toLowerCase(),
                    item.path("number").asLong());
        });
        Set<Long> expected = new HashSet<>();
        for (long n = 1; n <= CLIENTS; n++) {
            expected.add(n);
        }
        assertThat(numbers).isEqualTo(expected);
        for (byte[] body : bodies) {
            Long number = numberBySha.get(StatefortClient.sha256Hex(body));
            assertThat(number).as("every acknowledged write is a version").isNotNull();
            assertThat(writer.versionContent(PROJECT, name, number)).isEqualTo(body);
        }
        assertThat(writer.get(state).body()).isEqualTo(writer.versionContent(PROJECT, name, CLIENTS));
    }

    interface Call {
        Response run(int index);
    }

    /** Runs {@code n} calls released at the same moment; bounded in time. */
    static List<Response> race(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Response> task = () -> {
                    ready.countDown();
                    go.await(30, TimeUnit.SECONDS);
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
