package dev.statefort.core.event;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.IdleLock;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raises {@code lock.stale} for a lock idle past its project's {@code lockStaleMinutes}: every node
 * sweeps now and then, and the conditional write of {@link MetadataStore#markLockStale} lets exactly
 * one of them raise it, once per lock, with the event in the same transaction.
 */
public final class StaleLockSweeper {
    /** The shortest stale threshold a project can set (lockStaleMinutes is at least 1). */
    static final Duration SHORTEST_THRESHOLD = Duration.ofMinutes(1);

    private static final int BATCH = 500;

    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;

    public StaleLockSweeper(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** One sweep; returns how many locks this node reported stale. */
    public int sweep() {
        Instant now = clock.instant();
        List<IdleLock> idle = metadata.findIdleLocks(now.minus(SHORTEST_THRESHOLD), BATCH);
        Map<String, Duration> thresholds = new HashMap<>();
        int raised = 0;
        for (IdleLock l : idle) {
            Duration staleAfter = thresholds.computeIfAbsent(
                    l.key().project(),
                    p -> Duration.ofMinutes(settings.project(p).lockStaleMinutes()));
            Instant idleBefore = now.minus(staleAfter);
            LockRecord lock = l.lock();
            if (!lock.lastActivityAt().isBefore(idleBefore)) {
                continue;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("lockId", lock.id());
            detail.put("kind", lock.plan() ? "plan" : "exclusive");
            detail.put("holder", lock.principal());
            if (lock.info().operation() != null) {
                detail.put("operation", lock.info().operation());
            }
            if (lock.info().who() != null) {
                detail.put("who", lock.info().who());
            }
            detail.put("acquiredAt", lock.acquiredAt().toString());
            detail.put("lastActivityAt", lock.lastActivityAt().toString());
            detail.put("staleAfterMinutes", staleAfter.toMinutes());
            AuditEvent event = audit.pending(
                    Principal.system(),
                    AuditAction.LOCK_STALE,
                    AuditEvent.OK,
                    l.key().project(),
                    l.key().name(),
                    detail);
            if (metadata.markLockStale(l.key(), lock.id(), idleBefore, event)) {
                audit.logged(event);
                raised++;
            }
        }
        return raised;
    }
}
