package dev.statefort.core.state;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.audit.LockRelease;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** The audit events of the backend's writes, locks, unlocks and deletes: IDs and numbers, never content. */
final class StateAuditTrail {
    private final AuditService audit;

    StateAuditTrail(AuditService audit) {
        this.audit = audit;
    }

    /** The event of an accepted write, for the store to append with the commit (it sets the version). */
    AuditEvent write(String principal, StateKey key, long size, String lockId) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("size", size);
        if (lockId != null) {
            detail.put("lockId", lockId);
        }
        return audit.pending(principal, AuditAction.STATE_WRITE, AuditEvent.OK, key.project(), key.name(), detail);
    }

    /** After the commit that stored the write's event. */
    void written(AuditEvent write, VersionRecord v) {
        audit.logged(write.withVersion(v.number()));
    }

    void writeRefusedByLock(String principal, StateKey key, String holderId) {
        audit.recordLater(
                principal,
                AuditAction.STATE_WRITE,
                AuditEvent.REFUSED,
                key,
                Map.of("reason", "locked", "holder", holderId));
    }

    void writeRefusedByExpiry(String principal, StateKey key, String expiredLockId) {
        audit.recordLater(
                principal,
                AuditAction.STATE_WRITE,
                AuditEvent.REFUSED,
                key,
                Map.of("reason", "lock expired", "lockId", expiredLockId));
    }

    /** The event of a granted LOCK, for the store to append with the lock; {@link #logged} after. */
    AuditEvent lockGranted(String principal, StateKey key, String lockId, String operation) {
        return audit.pending(
                principal,
                AuditAction.LOCK_ACQUIRE,
                AuditEvent.OK,
                key.project(),
                key.name(),
                Map.of("lockId", lockId, "operation", String.valueOf(operation)));
    }

    void logged(AuditEvent stored) {
        audit.logged(stored);
    }

    /** Refused: stored with the next commit, so a LOCK that waits (-lock-timeout) costs no commit. */
    void lockRefused(String principal, StateKey key, String lockId, String holderId) {
        audit.recordLater(
                principal,
                AuditAction.LOCK_ACQUIRE,
                AuditEvent.REFUSED,
                key,
                Map.of("lockId", lockId, "holder", holderId));
    }

    /**
     * The event of an UNLOCK, made by the store inside its transaction once it knows the released
     * lock; {@code forced} when it named no lock ID (Terraform's force-unlock).
     */
    LockRelease release(String principal, StateKey key, boolean forced) {
        return audit.release(principal, action(forced), key);
    }

    void unlockRefused(String principal, StateKey key, String lockId, String holderId) {
        audit.recordLater(
                principal, action(false), AuditEvent.REFUSED, key, Map.of("lockId", lockId, "holder", holderId));
    }

    void deleted(String principal, StateKey key, int blobs) {
        audit.recordOutcome(principal, AuditAction.STATE_DELETE, AuditEvent.OK, key, Map.of("blobs", blobs));
    }

    void deleteRefused(String principal, StateKey key, String holderId) {
        audit.recordOutcome(principal, AuditAction.STATE_DELETE, AuditEvent.REFUSED, key, Map.of("holder", holderId));
    }

    private static AuditAction action(boolean forced) {
        return forced ? AuditAction.LOCK_FORCE_UNLOCK : AuditAction.LOCK_RELEASE;
    }
}
