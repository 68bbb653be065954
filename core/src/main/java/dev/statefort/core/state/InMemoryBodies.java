package dev.statefort.core.state;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that write bodies read whole into memory take at once ({@link
 * VersionWriter#IN_MEMORY_BYTES} each, {@link #TOTAL_BYTES} together): a write that finds no room
 * streams, as every large body does, so many slow uploads at once cannot fill the heap.
 */
final class InMemoryBodies {
    /** All in-memory bodies together, across the node's writes. */
    static final long TOTAL_BYTES = 64L * 1024 * 1024;

    private static final AtomicLong IN_USE = new AtomicLong();

    private InMemoryBodies() {}

    /**
     * Reserves room for a body of {@code declaredLength} bytes (-1: not announced, reserves the most a
     * body in memory may take); returns the bytes reserved, 0 when the body must stream (too large,
     * or no room left).
     */
    static int reserve(long declaredLength) {
        if (declaredLength > VersionWriter.IN_MEMORY_BYTES) {
            return 0;
        }
        int wanted = declaredLength < 0 ? VersionWriter.IN_MEMORY_BYTES : (int) Math.max(1, declaredLength);
        long after = IN_USE.addAndGet(wanted);
        if (after > TOTAL_BYTES) {
            IN_USE.addAndGet(-wanted);
            return 0;
        }
        return wanted;
    }

    static void release(int reserved) {
        if (reserved > 0) {
            IN_USE.addAndGet(-reserved);
        }
    }
}
