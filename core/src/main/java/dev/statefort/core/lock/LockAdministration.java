package dev.statefort.core.lock;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.audit.LockRelease;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A state's lock as admins see and clear it: who holds it, whether it is stale, a forced release (audited). */
public final class LockAdministration {
    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;

    public LockAdministration(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The lock, if held, and whether it is stale (idle longer than the project's setting). */
    public Optional<LockView> lock(StateKey key) {
        requireProject(key.project());
        Duration staleAfter = Duration.ofMinutes(settings.project(key.project()).lockStaleMinutes());
        return metadata.findLock(key).map(l -> new LockView(l, l.staleAt(clock.instant(), staleAfter)));
    }

    /** How many state locks are held across all projects, and how many of them are stale. */
    public record Census(long held, long stale) {}

    /** Counts every held lock and the stale ones (walks every project's states: for gauges, not per request). */
    public Census census() {
        java.time.Instant now = clock.instant();
        long held = 0;
        long stale = 0;
        for (ProjectRecord project : metadata.listProjects()) {
            Duration staleAfter =
                    Duration.ofMinutes(settings.project(project.name()).lockStaleMinutes());
            for (StateRecord state : metadata.listStates(project.name())) {
                if (state.lock() != null) {
                    held++;
                    if (state.lock().staleAt(now, staleAfter)) {
                        stale++;
                    }
                }
            }
        }
        return new Census(held, stale);
    }

    /** Releases whatever lock is held (admin), audited. */
    public boolean forceUnlock(StateKey key, String principal) {
        requireProject(key.project());
        LockRelease release = audit.release(principal, AuditAction.LOCK_FORCE_UNLOCK, key);
        if (metadata.unlock(key, null, release) instanceof UnlockResult.Released) {
            release.logged();
            return true;
        }
        return false;
    }

    private void requireProject(String project) {
        ProjectService.requireExists(metadata, project);
    }
}
