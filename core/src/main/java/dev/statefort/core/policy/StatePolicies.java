package dev.statefort.core.policy;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One state's own rules: which outputs outputs-only principals read, and a destructive-write permit (admins; audited). */
public final class StatePolicies {
    private final MetadataStore metadata;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;

    public StatePolicies(MetadataStore metadata, SettingsService settings, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** Which outputs outputs-only principals may read (admin), audited. */
    public StateSettings setOutputsAccess(
            Principal actor, StateKey key, List<String> allowed, List<String> sensitiveAllowed) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        StateSettings updated = settings.updateState(
                key,
                current -> current.withOutputsAccess(
                        allowed == null ? null : List.copyOf(allowed),
                        sensitiveAllowed == null ? null : List.copyOf(sensitiveAllowed)));
        Map<String, Object> detail = new java.util.HashMap<>();
        detail.put("outputsAllowed", allowed);
        detail.put("sensitiveOutputsAllowed", sensitiveAllowed);
        audit.record(actor, AuditAction.STATE_OUTPUTS_ACCESS, key, detail);
        return updated;
    }

    /** The state's own settings (read). */
    public StateSettings stateSettings(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return settings.state(key);
    }

    /** Allows destructive writes on one state until now + {@code minutes} (admin), audited. */
    public Instant permitDestructive(Principal actor, StateKey key, int minutes) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        if (minutes < 1 || minutes > 24 * 60) {
            throw new dev.statefort.core.InvalidInputException("a permit lasts 1..1440 minutes");
        }
        Instant until = clock.instant().plus(Duration.ofMinutes(minutes));
        settings.updateState(key, current -> current.withPermit(until, actor.name()));
        audit.record(actor, AuditAction.STATE_PERMIT_DESTRUCTIVE, key, Map.of("until", until.toString()));
        return until;
    }

    /** Ends a destructive-write permit early (admin), audited. */
    public void revokePermit(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        settings.updateState(key, current -> current.withPermit(null, null));
        audit.record(actor, AuditAction.STATE_PERMIT_REVOKED, key, Map.of());
    }
}
