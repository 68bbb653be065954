package dev.statefort.core.quarantine;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.ParsedVersions;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.StateProtection;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.storage.VersionBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the destructive-write guard quarantined: list them, read one, compare it with the current
 * version, promote it to current or discard it (admins; audited).
 */
public final class QuarantineService {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final SettingsService settings;
    private final VersionInsight insight;
    private final ParsedVersions parsed;
    private final AuditService audit;
    private final Clock clock;
    private final StateProtection protection;

    public QuarantineService(
            MetadataStore metadata,
            BlobStore blobs,
            SettingsService settings,
            VersionInsight insight,
            ParsedVersions parsed,
            AuditService audit,
            Clock clock) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.settings = settings;
        this.insight = insight;
        this.parsed = parsed;
        this.audit = audit;
        this.clock = clock;
        this.protection = new StateProtection(metadata.access(), audit, clock);
    }

    /** The state's quarantined writes (read). */
    public List<QuarantineRecord> quarantine(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.listQuarantine(key);
    }

    /** One quarantined write (read). */
    public QuarantineRecord quarantined(Principal actor, StateKey key, long id) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.findQuarantine(key, id)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
    }

    /** The bytes of a quarantined write. */
    public InputStream quarantinedContent(Principal actor, StateKey key, long id) {
        return open(key, quarantined(actor, key, id).version());
    }

    /** The checked bytes of a quarantined write of {@code key}. */
    private InputStream open(StateKey key, NewVersion body) {
        return VersionBlobs.open(blobs, key, body.blobKey(), body.sha256());
    }

    /** Diff from the current version to a quarantined write; empty when either is not readable. */
    public Optional<StateDiff.Result> diffQuarantined(Principal actor, StateKey key, long id) throws IOException {
        Optional<StateDocument> current = insight.currentDocument(actor, key);
        NewVersion body = quarantined(actor, key, id).version();
        Optional<StateDocument> refused = parsed.parseOnce(key, id, body.size(), () -> open(key, body));
        return current.isPresent() && refused.isPresent()
                ? Optional.of(parsed.compare(current.get(), refused.get()))
                : Optional.empty();
    }

    /**
     * Makes a quarantined write the current version (admin), audited; refused while any ID holds the
     * lock (the store's commit decides, as for any write without a lock ID).
     */
    public CommitResult promote(Principal actor, StateKey key, long id) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        protection.requireAllowed(actor, key, "quarantine-promote");
        CommitResult result = metadata.promoteQuarantine(
                        key,
                        id,
                        null,
                        actor.name(),
                        clock.instant(),
                        settings.project(key.project()).retention())
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
        if (result instanceof CommitResult.Committed c) {
            c.prunedBlobKeys().forEach(blobs::delete);
            audit.record(
                    actor,
                    AuditAction.QUARANTINE_PROMOTE,
                    key,
                    Map.of("quarantineId", id, "newVersion", c.version().number()));
        }
        return result;
    }

    /** Discards a quarantined write and its blob (admin), audited. */
    public void discard(Principal actor, StateKey key, long id) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        String blobKey = metadata.deleteQuarantine(key, id)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
        blobs.delete(blobKey);
        audit.record(actor, AuditAction.QUARANTINE_DISCARD, key, Map.of("quarantineId", id));
    }
}
