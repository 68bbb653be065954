package dev.statefort.core.model;

import java.time.Instant;

/**
 * A state as listed: its current version (null before the first write), its exclusive lock (null
 * when not held) and how many shared plan locks are held.
 */
public record StateRecord(StateKey key, Instant createdAt, VersionRecord head, LockRecord lock, int planLocks) {
    public StateRecord(StateKey key, Instant createdAt, VersionRecord head, LockRecord lock) {
        this(key, createdAt, head, lock, 0);
    }

    /** Whether any lock is held: the exclusive one or a plan lock. */
    public boolean locked() {
        return lock != null || planLocks > 0;
    }
}
