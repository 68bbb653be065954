package dev.statefort.core.insight;

import dev.statefort.core.OverloadedException;
import dev.statefort.core.WorkPermits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where CPU-bound analysis runs (parsing, masking, diffing whole states and serializing those
 * answers): a fixed pool of platform threads, never the virtual-thread carriers that serve Terraform.
 * A carrier runs a virtual thread until it blocks, so a request that computes for seconds on one
 * holds a whole core away from every other request; a thread of this pool is preempted by the
 * operating system like any other, and the caller's virtual thread only waits (unmounted) for the
 * answer. At most {@code threads} analyses run at once; a caller that gets no turn within {@code
 * maxWait} gets an {@link OverloadedException} (503 + Retry-After). Work submitted from a pool thread
 * runs in place (an analysis may call another).
 */
public final class AnalysisPool implements AutoCloseable {
    /** How long an analysis waits for its turn before 503. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private static final ThreadLocal<Boolean> ON_POOL = ThreadLocal.withInitial(() -> false);

    private final WorkPermits turns;
    private final ExecutorService threads;

    public AnalysisPool(int threads) {
        this(threads, MAX_WAIT);
    }

    public AnalysisPool(int threads, Duration maxWait) {
        this.turns = new WorkPermits("state analyses", threads, maxWait);
        this.threads = Executors.newFixedThreadPool(threads, named());
    }

    /** Work that may fail with an IOException. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} on a pool thread, waiting for a turn at most {@code maxWait}. */
    public <T> T run(Work<T> work) throws IOException {
        if (ON_POOL.get()) {
            return work.run();
        }
        try {
            return turns.run(() -> await(threads.submit(() -> work.run())));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Turns free right now (for tests and metrics). */
    public int available() {
        return turns.available();
    }

    /** Whether the calling thread is one of the pool's. */
    public static boolean onPool() {
        return ON_POOL.get();
    }

    private static <T> T await(Future<T> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for a state analysis", 1);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    private static ThreadFactory named() {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(
                    () -> {
                        ON_POOL.set(true);
                        work.run();
                    },
                    "statefort-analysis-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
