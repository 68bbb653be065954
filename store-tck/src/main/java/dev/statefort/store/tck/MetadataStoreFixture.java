package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.lock.LockInfo;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.VersionCommit;
import dev.statefort.core.version.VersionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Set-up and helpers shared by the {@link MetadataStoreContract} suites. A subclass supplies a fresh,
 * empty store per test and may override {@link #cleanup}.
 */
public abstract class MetadataStoreFixture {
    /** A time with sub-millisecond digits: stores keep milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    protected static final String PROJECT = "p";

    protected MetadataStore store;

    /** A fresh, empty store (no projects, states or tokens). */
    protected abstract MetadataStore newStore() throws Exception;

    /** Releases what {@link #newStore} made; the default closes the store. */
    protected void cleanup(MetadataStore store) throws Exception {
        store.close();
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws Exception {
        if (store != null) {
            cleanup(store);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    protected static Instant at(long plusMillis) {
        return T0.plusMillis(plusMillis);
    }

    protected static Instant ms(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A state in project {@value #PROJECT}, creating the project if needed. */
    protected StateKey state(String name) {
        store.createProject(PROJECT, T0);
        return new StateKey(PROJECT, name);
    }

    protected static LockInfo lockInfo(String id, String operation) {
        String json = "{\"ID\":\"" + id + "\",\"Operation\":\"" + operation
                + "\",\"Info\":\"\",\"Who\":\"alice@host\",\"Version\":\"1.11.4\","
                + "\"Created\":\"2026-03-01T10:00:00.123456Z\",\"Path\":\"\"}";
        return LockInfo.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    protected static LockRequest lockRequest(String id, Instant now) {
        return new LockRequest(lockInfo(id, "OperationTypeApply"), "principal-" + id, now);
    }

    protected LockRecord lock(StateKey key, String id, Instant now) {
        LockResult result = store.tryLock(key, lockRequest(id, now));
        assertThat(result).isInstanceOf(LockResult.Acquired.class);
        return ((LockResult.Acquired) result).lock();
    }

    protected static NewVersion newVersion(String blobKey, Instant createdAt) {
        return new NewVersion(
                blobKey,
                7L,
                "lineage-" + blobKey,
                sha256Of(blobKey),
                1234L,
                "writer",
                createdAt,
                null,
                null,
                java.util.List.of());
    }

    protected static String sha256Of(String text) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    protected VersionRecord commit(StateKey key, String blobKey, Instant createdAt, String lockId) {
        CommitResult result = store.commitVersion(VersionCommit.of(key, newVersion(blobKey, createdAt), lockId));
        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        return ((CommitResult.Committed) result).version();
    }

    /** Commits {@code count} versions without a lock, blob keys {@code b1..bN}, one millisecond apart. */
    protected List<VersionRecord> commitMany(StateKey key, int count) {
        List<VersionRecord> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(commit(key, "b" + i, at(i), null));
        }
        return out;
    }

    /**
     * Runs {@code threads} tasks at once (released together by a latch) and returns their results
     * in task order. Bounded: fails after 60 s.
     */
    protected static <T> List<T> runConcurrently(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(n);
                };
                futures.add(pool.submit(call));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
