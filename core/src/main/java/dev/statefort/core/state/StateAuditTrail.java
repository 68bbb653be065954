package dev.statefort.core.state;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit events of a state's writes and deletes: IDs and numbers, never content. */
final class StateAuditTrail {
    private final AuditService audit;

    StateAuditTrail(AuditService audit) {
        this.audit = audit;
    }

    /** The event of an accepted write, for the store to append with the commit (it sets the version). */
    AuditEvent write(Principal actor, StateKey key, long size, String lockId) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("size", size);
        if (lockId != null) {
            detail.put("lockId", lockId);
        }
        return audit.pending(actor, AuditAction.STATE_WRITE, AuditEvent.OK, key.project(), key.name(), detail);
    }

    /** After the commit that stored the write's event. */
    void written(AuditEvent write, VersionRecord v) {
        audit.logged(write.withVersion(v.number()));
    }

    void writeRefusedByLock(Principal actor, StateKey key, String holderId) {
        audit.recordLater(
                actor,
                AuditAction.STATE_WRITE,
                AuditEvent.REFUSED,
                key,
                Map.of("reason", "locked", "holder", holderId));
    }

    void writeRefusedByExpiry(Principal actor, StateKey key, String expiredLockId) {
        audit.recordLater(
                actor,
                AuditAction.STATE_WRITE,
                AuditEvent.REFUSED,
                key,
                Map.of("reason", "lock expired", "lockId", expiredLockId));
    }

    /** The destructive-write guard let a write through because the state has a permit now. */
    void writePermitted(Principal actor, StateKey key, List<String> findings) {
        audit.record(actor, AuditAction.STATE_WRITE_PERMITTED, key, Map.of("findings", findings));
    }

    /** The destructive-write guard refused a write and kept it as quarantined write {@code quarantineId}. */
    void writeQuarantined(Principal actor, StateKey key, long quarantineId, List<String> findings) {
        audit.record(
                actor,
                AuditAction.STATE_WRITE_REFUSED,
                key,
                Map.of("quarantineId", quarantineId, "findings", findings));
    }

    void deleted(Principal actor, StateKey key, int blobs) {
        audit.recordOutcome(actor, AuditAction.STATE_DELETE, AuditEvent.OK, key, Map.of("blobs", blobs));
    }

    void deleteRefused(Principal actor, StateKey key, String holderId) {
        audit.recordOutcome(actor, AuditAction.STATE_DELETE, AuditEvent.REFUSED, key, Map.of("holder", holderId));
    }
}
