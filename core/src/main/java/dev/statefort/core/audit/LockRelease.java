package dev.statefort.core.audit;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.StateKey;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes the audit event of a released lock from the lock the store released (its ID is known only
 * inside the store's transaction for a force-unlock), and remembers it for the log line.
 */
public final class LockRelease implements Function<LockRecord, AuditEvent> {
    private final AuditService audit;
    private final String sourceIp;
    private final String principal;
    private final AuditAction action;
    private final StateKey state;
    private volatile AuditEvent event;

    LockRelease(AuditService audit, String sourceIp, String principal, AuditAction action, StateKey state) {
        this.audit = audit;
        this.sourceIp = sourceIp;
        this.principal = principal;
        this.action = action;
        this.state = state;
    }

    @Override
    public AuditEvent apply(LockRecord released) {
        event = audit.pendingFrom(
                sourceIp,
                principal,
                action,
                AuditEvent.OK,
                state.project(),
                state.name(),
                Map.of("lockId", released.id()));
        return event;
    }

    /** Writes the log line, after the store released the lock and stored the event. */
    public void logged() {
        AuditEvent made = event;
        if (made != null) {
            audit.logged(made);
        }
    }
}
