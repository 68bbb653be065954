package dev.statefort.server.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This node's memory of the throttle's keys (sources, user names) that are over the failure limit,
 * each until its window in the database ends: a request from a blocked key is answered 429 from
 * here, with no database write, so a flood of bad credentials cannot keep the (single SQLite) writer
 * busy. The database still counts across nodes; this list only remembers what it answered. At most
 * {@code capacity} keys: the oldest block is forgotten first, and a forgotten key is counted in the
 * database again, as before.
 */
final class FailureBlockList {
    private final Map<String, Instant> blockedUntil;

    FailureBlockList(int capacity) {
        this.blockedUntil = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code key} is blocked at {@code now}; an ended block is forgotten. */
    synchronized boolean isBlocked(String key, Instant now) {
        Instant until = blockedUntil.get(key);
        if (until == null) {
            return false;
        }
        if (!now.isBefore(until)) {
            blockedUntil.remove(key);
            return false;
        }
        return true;
    }

    /** Blocks {@code key} until {@code until} (the end of its window in the database). */
    synchronized void block(String key, Instant until) {
        blockedUntil.remove(key); // a renewed block counts as the newest
        blockedUntil.put(key, until);
    }

    synchronized int size() {
        return blockedUntil.size();
    }
}
