package dev.statefort.core.insight;

import dev.statefort.core.OverloadedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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

    private final Semaphore turns;
    private final Duration maxWait;
    private final ExecutorService threads;

    public AnalysisPool(int threads) {
        this(threads, MAX_WAIT);
    }

    public AnalysisPool(int threads, Duration maxWait) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one analysis thread");
        }
        this.turns = new Semaphore(threads, true);
        this.maxWait = maxWait;
        this.threads = Executors.newFixedThreadPool(threads, named());
    }

    /** Work that may fail with an IOException. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} on a pool thread, waiting for a turn at most {@code maxWait}. The turn is
     * given back when the work ends, not when the caller stops waiting, so at most {@code threads}
     * analyses ever run, whatever callers do.
     */
    public <T> T run(Work<T> work) throws IOException {
        if (ON_POOL.get()) {
            return work.run();
        }
        takeTurn();
        Future<T> answer;
        try {
            answer = threads.submit(() -> {
                try {
                    return work.run();
                } finally {
                    turns.release();
                }
            });
        } catch (RejectedExecutionException closed) {
            turns.release();
            throw new OverloadedException("this node is shutting down; retry", 1);
        }
        try {
            return await(answer);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void takeTurn() {
        boolean taken;
        try {
            taken = turns.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for a turn for state analyses", 1);
        }
        if (!taken) {
            throw new OverloadedException(
                    "too many state analyses at once; retry in a few seconds", (int) Math.max(1, maxWait.toSeconds()));
        }
    }

    /** Turns free right now (for tests and metrics). */
    public int available() {
        return turns.availablePermits();
    }

    private static <T> T await(Future<T> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            // the work runs on and gives its turn back when it ends
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
        threads.shutdown(); // work already taken runs to its end, so no caller waits forever
    }
}
