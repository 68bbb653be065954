package dev.statefort.core.state;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.QuarantineCap;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of one {@link StateService#write} when the destructive-write guard enforces and finds the
 * write destructive: kept as a quarantined write (within the state's {@link QuarantineCap}) and
 * refused, unless the state has a destructive-write permit now.
 */
final class DestructiveWriteQuarantine {
    private static final Logger LOG = LoggerFactory.getLogger(StateService.class);

    private final MetadataStore metadata;
    private final SettingsService settings;
    private final StateAuditTrail trail;
    private final QuarantineCap quarantineCap;

    DestructiveWriteQuarantine(
            MetadataStore metadata, SettingsService settings, StateAuditTrail trail, QuarantineCap quarantineCap) {
        this.metadata = metadata;
        this.settings = settings;
        this.trail = trail;
        this.quarantineCap = quarantineCap;
    }

    /**
     * The guard enforces and found the write destructive: quarantined (and refused) unless the state
     * has a permit now, which is audited and lets the write through (empty).
     */
    Optional<WriteOutcome> refuseUnlessPermitted(WriteRequest request, NewVersion version, List<String> findings) {
        StateKey key = request.key();
        Principal actor = request.actor();
        if (settings.state(key).permitsDestructiveWritesAt(version.createdAt())) {
            trail.writePermitted(actor, key, findings);
            return Optional.empty();
        }
        QuarantineRecord quarantined = metadata.quarantine(key, version, request.lockId(), findings);
        // Terraform shows only "HTTP error: 409", so the way out is also in the server log.
        LOG.warn(
                "state {}: write by {} refused by the destructive-write guard {}; kept as quarantined "
                        + "write {}. To allow it: statefort state permit-destructive --project {} --state {} "
                        + "--minutes 30 (or POST .../permit), then run the command again",
                key,
                actor.name(),
                findings,
                quarantined.id(),
                key.project(),
                key.name());
        trail.writeQuarantined(actor, key, quarantined.id(), findings);
        quarantineCap.enforce(key);
        return Optional.of(new WriteOutcome.Refused(quarantined));
    }
}
