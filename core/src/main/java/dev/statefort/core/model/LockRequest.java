package dev.statefort.core.model;

import java.time.Instant;

/**
 * What {@code tryLock} needs: the client's LockInfo, who asks, the time to record, the audit event
 * to append in the same transaction when the lock is granted (null: none), what binds the lock
 * to the credential that asks ({@link LockRecord#credential()}; null: nothing), and whether it is
 * a shared plan lock rather than the exclusive one.
 */
public record LockRequest(
        LockInfo info, String principal, Instant now, AuditEvent audit, String credential, boolean plan) {
    public LockRequest(LockInfo info, String principal, Instant now, AuditEvent audit, String credential) {
        this(info, principal, now, audit, credential, false);
    }

    public LockRequest(LockInfo info, String principal, Instant now, AuditEvent audit) {
        this(info, principal, now, audit, null, false);
    }

    public LockRequest(LockInfo info, String principal, Instant now) {
        this(info, principal, now, null, null, false);
    }

    /** The same request for a shared plan lock. */
    public LockRequest asPlan() {
        return new LockRequest(info, principal, now, audit, credential, true);
    }
}
