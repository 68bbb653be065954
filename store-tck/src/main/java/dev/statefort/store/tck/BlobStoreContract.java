package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BlobStore}, sentence by sentence. An implementation's test extends this
 * class and implements {@link #newStore()} (and {@link #cleanup} when {@code close()} is not enough).
 */
public abstract class BlobStoreContract {
    private static final int MIB = 1024 * 1024;

    protected BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore newStore() throws Exception;

    /** Releases what {@link #newStore} made; the default closes the store. */
    protected void cleanup(BlobStore store) throws Exception {
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

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    protected long put(String key, byte[] bytes) throws IOException {
        return store.put(key, new ByteArrayInputStream(bytes));
    }

    /** Yields {@code good} bytes, then throws the given exception. */
    private static final class FailingStream extends InputStream {
        private final InputStream good;
        private final IOException failure;

        FailingStream(byte[] good, IOException failure) {
            this.good = new ByteArrayInputStream(good);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            int b = good.read();
            if (b < 0) {
                throw failure;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = good.read(buf, off, len);
            if (n < 0) {
                throw failure;
            }
            return n;
        }
    }

    // ---- put and open ---------------------------------------------------------------------

    @Test
    void putAndOpenRoundTripExactBytesOfEverySize() throws IOException {
        byte[] empty = new byte[0];
        byte[] one = {(byte) 0xff};
        byte[] large = randomBytes(5 * MIB, 42);
        assertThat(put("p/s/empty", empty)).isZero();
        assertThat(put("p/s/one", one)).isEqualTo(1);
        assertThat(put("p/s/large", large)).isEqualTo(large.length);
        assertThat(read("p/s/empty")).isEmpty();
        assertThat(read("p/s/one")).isEqualTo(one);
        assertThat(read("p/s/large")).isEqualTo(large);
    }

    @Test
    void putReadsTheStreamToItsEndButDoesNotCloseIt() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayInputStream bytes = new ByteArrayInputStream(randomBytes(70_000, 1));
        InputStream content = new FilterInputStream(bytes) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        assertThat(store.put("k", content)).isEqualTo(70_000);
        assertThat(bytes.available()).isZero();
        assertThat(closed).isFalse();
    }

    @Test
    void putOfAFailingStreamLeavesNothingAndPropagatesTheException() {
        IOException failure = new IOException("client went away");
        InputStream content = new FailingStream(randomBytes(300_000, 7), failure);
        assertThatThrownBy(() -> store.put("p/s/broken", content)).isSameAs(failure);
        assertThat(store.exists("p/s/broken")).isFalse();
        assertThatThrownBy(() -> store.open("p/s/broken")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void putIsIdempotentForTheSameBytes() throws IOException {
        byte[] bytes = randomBytes(10_000, 3);
        put("k", bytes);
        assertThat(put("k", bytes)).isEqualTo(bytes.length);
        assertThat(read("k")).isEqualTo(bytes);
    }

    @Test
    void putOfDifferentBytesReplacesTheBlob() throws IOException {
        put("k", randomBytes(10_000, 3));
        byte[] second = randomBytes(500, 4);
        put("k", second);
        assertThat(read("k")).isEqualTo(second);
    }

    @Test
    void openOfMissingKeyThrowsBlobNotFound() {
        assertThatThrownBy(() -> store.open("p/s/missing")).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.open("missing")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void existsFollowsPutAndDelete() throws IOException {
        assertThat(store.exists("p/s/a")).isFalse();
        put("p/s/a", new byte[] {1, 2, 3});
        assertThat(store.exists("p/s/a")).isTrue();
        store.delete("p/s/a");
        assertThat(store.exists("p/s/a")).isFalse();
        assertThatThrownBy(() -> store.open("p/s/a")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void deleteOfMissingKeyDoesNothing() {
        store.delete("p/s/never");
        store.delete("never");
        assertThat(store.exists("never")).isFalse();
    }

    @Test
    void nestedKeysAreIndependentBlobs() throws IOException {
        String uuid = "0f8e2a7c-3b1d-4c59-9e21-7a6b5c4d3e2f";
        put("p/s/" + uuid, new byte[] {1});
        put("p/s/other", new byte[] {2});
        put("p/t/" + uuid, new byte[] {3});
        put("q.x/s_1/v-1.bin", new byte[] {4});
        store.delete("p/s/other");
        assertThat(read("p/s/" + uuid)).containsExactly(1);
        assertThat(read("p/t/" + uuid)).containsExactly(3);
        assertThat(read("q.x/s_1/v-1.bin")).containsExactly(4);
        assertThat(store.exists("p/s")).isFalse();
        assertThat(store.exists("p")).isFalse();
        assertThatThrownBy(() -> store.open("p/s")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void invalidKeysAreRejected() {
        for (String bad : List.of("", "/abs", "a//b", "a/", "../x", "a/../b", "a/./b", ".", "..", "a b", "a\\b", "ä")) {
            assertThatThrownBy(() -> store.put(bad, new ByteArrayInputStream(new byte[1])))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---- concurrency ----------------------------------------------------------------------

    @Test
    void concurrentPutsOfDifferentKeysAllLand() throws Exception {
        int threads = 16;
        int perThread = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        put("p/s" + (thread % 3) + "/k-" + thread + "-" + i, randomBytes(20_000, thread * 100L + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(read("p/s" + (t % 3) + "/k-" + t + "-" + i)).isEqualTo(randomBytes(20_000, t * 100L + i));
            }
        }
    }

    @Test
    void concurrentPutsOfTheSameBytesUnderOneKeyAreFine() throws Exception {
        byte[] bytes = randomBytes(200_000, 9);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> put("p/s/same", bytes)));
            }
            for (Future<Long> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(bytes.length);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(read("p/s/same")).isEqualTo(bytes);
    }

    @Test
    void readersNeverSeeAPartialBlob() throws Exception {
        byte[] bytes = randomBytes(2 * MIB, 11);
        CountDownLatch halfWritten = new CountDownLatch(1);
        CountDownLatch readerLooked = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            private int served;

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (served >= bytes.length / 2 && halfWritten.getCount() > 0) {
                    halfWritten.countDown();
                    try {
                        readerLooked.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = in.read(buf, off, Math.min(len, 64 * 1024));
                served += Math.max(n, 0);
                return n;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> writer = pool.submit(() -> store.put("p/s/big", slow));
            assertThat(halfWritten.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(store.exists("p/s/big")).isFalse();
            assertThatThrownBy(() -> store.open("p/s/big")).isInstanceOf(BlobNotFoundException.class);
            readerLooked.countDown();
            assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(bytes.length);
        } finally {
            readerLooked.countDown();
            pool.shutdownNow();
        }
        assertThat(read("p/s/big")).isEqualTo(bytes);
    }

    // ---- health ---------------------------------------------------------------------------

    @Test
    void pingSucceedsOnAHealthyStore() {
        store.ping();
    }
}
