package dev.statefort.core.state;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.JointCommit;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.GuardMode;
import dev.statefort.core.policy.ProjectSettings;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * New versions of several states written as one step ({@link StateService#writeTogether}): each body
 * is checked as a client's write is (permission, protection rules, size, the destructive-write
 * guard) and stored, then all are committed in one transaction, or none. The guard never quarantines
 * here: a destructive part refuses the whole step unless its state has a permit.
 */
final class JointWrite {
    private final MetadataStore metadata;
    private final VersionWriter writer;
    private final SettingsService settings;
    private final StateAuditTrail trail;
    private final AuditService audit;
    private final LockService locks;
    private final DecodedVersions decoded;
    private final long maxStateBytes;

    JointWrite(
            MetadataStore metadata,
            VersionWriter writer,
            SettingsService settings,
            StateAuditTrail trail,
            AuditService audit,
            LockService locks,
            DecodedVersions decoded,
            long maxStateBytes) {
        this.metadata = metadata;
        this.writer = writer;
        this.settings = settings;
        this.trail = trail;
        this.audit = audit;
        this.locks = locks;
        this.decoded = decoded;
        this.maxStateBytes = maxStateBytes;
    }

    /** One state's part: its new body, written under {@code lockId}. */
    record Part(StateKey key, byte[] body, String lockId) {}

    /** A part stored and judged, waiting for the commit. */
    private record Prepared(
            Part part, StoredBody stored, NewVersion version, List<String> findings, AuditEvent event) {}

    StateService.JointOutcome write(Principal actor, List<Part> parts) throws IOException {
        List<ProjectRecord> projects = new ArrayList<>();
        for (Part part : parts) {
            projects.add(Authorization.requireOn(actor, part.key(), Permission.WRITE, metadata));
            locks.protection().requireAllowed(actor, part.key(), WriteRequest.Writer.CLIENT.auditName());
            if (part.body().length > maxStateBytes) {
                throw new StateTooLargeException(maxStateBytes);
            }
        }
        List<Prepared> prepared = new ArrayList<>();
        JointCommit joint;
        try {
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                StoredBody stored = writer.store(
                        part.key(),
                        projects.get(i).placement(),
                        new ByteArrayInputStream(part.body()),
                        part.body().length,
                        null);
                try {
                    prepared.add(judged(actor, part, stored));
                } catch (RuntimeException e) {
                    writer.discard(stored);
                    throw e;
                }
            }
            for (Prepared p : prepared) {
                ProjectSettings policy = settings.project(p.part().key().project());
                if (!p.findings().isEmpty() && policy.guard() == GuardMode.ENFORCE) {
                    if (!settings.state(p.part().key())
                            .permitsDestructiveWritesAt(p.version().createdAt())) {
                        audit.record(
                                actor,
                                AuditAction.STATE_WRITE_REFUSED,
                                p.part().key(),
                                Map.of("findings", p.findings(), "by", "surgery"));
                        discardAll(prepared);
                        return new StateService.JointOutcome.Refused(p.part().key(), p.findings());
                    }
                    trail.writePermitted(actor, p.part().key(), p.findings());
                }
            }
            List<VersionCommit> commits = new ArrayList<>();
            for (Prepared p : prepared) {
                commits.add(
                        VersionCommit.of(p.part().key(), p.version(), p.part().lockId())
                                .withRetention(settings.project(p.part().key().project())
                                        .retention())
                                .withAudit(p.event())
                                .withSmallBlob(p.stored().pendingSmallBlob()));
            }
            joint = metadata.commitVersions(commits);
            if (!joint.isWritten()) {
                discardAll(prepared);
                return switch (joint.refusal()) {
                    case CommitResult.LockedBy locked ->
                        new StateService.JointOutcome.Locked(joint.refusedState(), locked.holder());
                    case CommitResult.Fenced fenced ->
                        new StateService.JointOutcome.Fenced(joint.refusedState(), fenced.expired());
                    case CommitResult.Committed c -> throw new IllegalStateException("a refusal cannot be a commit");
                };
            }
        } catch (IOException | RuntimeException e) {
            discardAll(prepared);
            throw e;
        }
        // committed: from here on the blobs are the new versions' and are never discarded
        return written(actor, prepared, joint);
    }

    private Prepared judged(Principal actor, Part part, StoredBody stored) {
        ProjectSettings policy = settings.project(part.key().project());
        List<String> findings = policy.guard() == GuardMode.OFF
                ? List.of()
                : DestructiveWriteGuard.findings(
                        metadata.headVersion(part.key()).orElse(null), stored.summary(), policy.guardRemovalPercent());
        NewVersion version = writer.newVersion(stored, actor.name(), findings, null);
        AuditEvent event = trail.write(actor, part.key(), stored.size(), part.lockId());
        return new Prepared(part, stored, version, findings, event);
    }

    private StateService.JointOutcome written(Principal actor, List<Prepared> prepared, JointCommit joint) {
        List<VersionRecord> versions = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            CommitResult.Committed committed = joint.committed().get(i);
            writer.outcome(p.part().key(), actor, p.stored(), p.event(), committed);
            if (!p.findings().isEmpty()
                    && settings.project(p.part().key().project()).guard() == GuardMode.WARN) {
                audit.record(
                        actor,
                        AuditAction.STATE_WRITE_FLAGGED,
                        p.part().key(),
                        Map.of("version", committed.version().number(), "findings", p.findings()));
            }
            if (p.stored().body() != null) {
                decoded.written(committed.version(), p.stored().body());
            }
            versions.add(committed.version());
        }
        return new StateService.JointOutcome.Written(versions);
    }

    private void discardAll(List<Prepared> prepared) {
        prepared.forEach(p -> writer.discard(p.stored()));
    }
}
