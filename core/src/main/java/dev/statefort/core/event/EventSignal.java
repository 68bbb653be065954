package dev.statefort.core.event;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes this node's event readers (live streams, the webhook sender) when it records an event, so
 * they need not wait for their next look at the database. Other nodes' events are found by that
 * look; the signal only makes this node's own ones quick.
 */
public final class EventSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fired = lock.newCondition();
    private long count;

    /** Wakes every waiter. */
    public void fire() {
        lock.lock();
        try {
            count++;
            fired.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How often it has fired: pass it to {@link #awaitAfter}. */
    public long count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until it fires after {@code seen} (returns at once if it has), at most {@code max}. */
    public void awaitAfter(long seen, Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        lock.lock();
        try {
            while (count == seen && nanos > 0) {
                nanos = fired.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
