package dev.statefort.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many expensive computations of one kind run at once: a caller waits at most {@code
 * maxWait} for a permit, then gets an {@link OverloadedException} (503 + Retry-After) instead of
 * piling up CPU and memory.
 */
public final class WorkPermits {
    private final String what;
    private final Semaphore permits;
    private final Duration maxWait;

    /** @param what the work, for the message ("password checks") */
    public WorkPermits(String what, int permits, Duration maxWait) {
        if (permits < 1) {
            throw new IllegalArgumentException("at least one permit");
        }
        this.what = what;
        this.permits = new Semaphore(permits, true);
        this.maxWait = maxWait;
    }

    /** About one permit per core. */
    public static int perCore() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Runs {@code work} holding a permit. */
    public <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for a turn for " + what, 1);
        }
        if (!acquired) {
            throw new OverloadedException(
                    "too many " + what + " at once; retry in a few seconds", (int) Math.max(1, maxWait.toSeconds()));
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    /** Permits free right now (for tests and metrics). */
    public int available() {
        return permits.availablePermits();
    }
}
