package dev.statefort.core.model;

import java.time.Instant;

/**
 * A held lock: the client's LockInfo, the principal that took it, when, and the last activity
 * under it (the last LOCK or write carrying its ID).
 */
public record LockRecord(LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt) {
    public String id() {
        return info.id();
    }

    /** Stale: nothing happened under it (LOCK or write with its ID) for {@code staleAfter} up to {@code now}. */
    public boolean staleAt(Instant now, java.time.Duration staleAfter) {
        return lastActivityAt.isBefore(now.minus(staleAfter));
    }
}
