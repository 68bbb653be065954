package dev.statefort.core.model;

import java.time.Instant;

/**
 * What {@code tryLock} needs: the client's LockInfo, who asks, the time to record, the audit event
 * to append in the same transaction when the lock is granted (null: none), and what binds the lock
 * to the credential that asks ({@link LockRecord#credential()}; null: nothing).
 */
public record LockRequest(LockInfo info, String principal, Instant now, AuditEvent audit, String credential) {
    public LockRequest(LockInfo info, String principal, Instant now, AuditEvent audit) {
        this(info, principal, now, audit, null);
    }

    public LockRequest(LockInfo info, String principal, Instant now) {
        this(info, principal, now, null, null);
    }
}
