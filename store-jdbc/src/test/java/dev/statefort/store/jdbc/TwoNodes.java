package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.spi.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

/** Checks shared by the SQLite and PostgreSQL tests: two stores on one database act as one. */
final class TwoNodes {
    private TwoNodes() {}

    static void neverBothWinALockNorShareAVersionNumber(MetadataStore a, MetadataStore b) throws Exception {
        a.createProject("p", Instant.EPOCH);
        StateKey key = new StateKey("p", "shared");
        int threads = 16;
        List<LockResult> locks = race(threads, i -> (i % 2 == 0 ? a : b).tryLock(key, request("L" + i)));
        assertThat(locks).filteredOn(r -> r instanceof LockResult.Acquired).hasSize(1);
        String winner = ((LockResult.Acquired) locks.stream()
                        .filter(r -> r instanceof LockResult.Acquired)
                        .findFirst()
                        .orElseThrow())
                .lock()
                .id();
        assertThat(b.findLock(key).orElseThrow().id()).isEqualTo(winner);
        assertThat(a.findLock(key).orElseThrow().id()).isEqualTo(winner);

        List<Long> numbers = race(threads, i -> {
            NewVersion v =
                    new NewVersion("k" + i, 1L, "l", "00", 1, "w", Instant.EPOCH, null, null, java.util.List.of());
            CommitResult r = (i % 2 == 0 ? a : b).commitVersion(VersionCommit.of(key, v, winner));
            return ((CommitResult.Committed) r).version().number();
        });
        assertThat(numbers)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, threads).boxed().toList());
    }

    /**
     * Plan locks granted on both nodes at once, an exclusive LOCK racing them from both: either the
     * exclusive lock alone or only plan locks, and both nodes see the same holders.
     */
    static void grantPlanLocksTogetherButNeverBesideAnExclusiveLock(MetadataStore a, MetadataStore b) throws Exception {
        a.createProject("p", Instant.EPOCH);
        for (int round = 0; round < 4; round++) {
            StateKey key = new StateKey("p", "plans-" + round);
            List<LockResult> results = race(16, i -> {
                MetadataStore node = i % 2 == 0 ? a : b;
                return node.tryLock(key, i % 5 == 0 ? request("A" + i) : planRequest("P" + i));
            });
            List<dev.statefort.core.model.LockRecord> granted = results.stream()
                    .filter(r -> r instanceof LockResult.Acquired)
                    .map(r -> ((LockResult.Acquired) r).lock())
                    .toList();
            assertThat(granted).isNotEmpty();
            if (granted.stream().anyMatch(l -> !l.plan())) {
                assertThat(granted).hasSize(1);
            }
            assertThat(a.findLocks(key)).containsExactlyInAnyOrderElementsOf(granted);
            assertThat(b.findLocks(key)).containsExactlyInAnyOrderElementsOf(granted);
        }
    }

    static LockRequest planRequest(String id) {
        byte[] json = ("{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypePlan\"}").getBytes(StandardCharsets.UTF_8);
        return new LockRequest(LockInfo.parse(json), "planner", Instant.EPOCH).asPlan();
    }

    static LockRequest request(String id) {
        byte[] json = ("{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\"}").getBytes(StandardCharsets.UTF_8);
        return new LockRequest(LockInfo.parse(json), "tester", Instant.EPOCH);
    }

    private static <T> List<T> race(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.apply(n);
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
