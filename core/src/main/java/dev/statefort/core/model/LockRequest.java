package dev.statefort.core.model;

import java.time.Instant;

/**
 * What {@code tryLock} needs: the client's LockInfo, who asks, the time to record, and the audit
 * event to append in the same transaction when the lock is granted (null: none).
 */
public record LockRequest(LockInfo info, String principal, Instant now, AuditEvent audit) {
    public LockRequest(LockInfo info, String principal, Instant now) {
        this(info, principal, now, null);
    }
}
