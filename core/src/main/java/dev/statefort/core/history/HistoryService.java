package dev.statefort.core.history;

import dev.statefort.core.ConflictException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.ApplySession;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionDeleteResult;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A state's history as teams change it: restore a version, delete one (to purge a leaked secret),
 * see apply sessions and revert one. Every change is audited.
 */
public final class HistoryService {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final StateService states;
    private final VersionInsight insight;
    private final AuditService audit;

    public HistoryService(
            MetadataStore metadata, BlobStore blobs, StateService states, VersionInsight insight, AuditService audit) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.states = states;
        this.insight = insight;
        this.audit = audit;
    }

    /** The version's bytes, a readable state's with the current serial + 1 (read and rewritten on the analysis pool). */
    private byte[] withNextSerial(Principal actor, StateKey key, long number, VersionRecord head) throws IOException {
        byte[] content;
        try (InputStream in = states.readVersion(actor, key, number).content()) {
            content = in.readAllBytes();
        }
        if (head.serial() == null) {
            return content;
        }
        return StateDocument.withSerial(content, head.serial() + 1).orElse(content);
    }

    /**
     * Writes version {@code number}'s content again as the newest version. A readable state gets the
     * current serial + 1 so serials keep rising; opaque bodies are restored unchanged (admin). Refused
     * (the outcome says by whom) while any ID holds the lock, as any write without one is.
     */
    public WriteOutcome restore(Principal actor, StateKey key, long number) throws IOException {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        VersionRecord target = insight.version(actor, key, number);
        VersionRecord head = insight.current(actor, key);
        byte[] content = insight.analyse(() -> withNextSerial(actor, key, number, head));
        WriteOutcome outcome =
                states.write(WriteRequest.of(key, new ByteArrayInputStream(content), content.length, actor)
                        .by(WriteRequest.Writer.RESTORE));
        if (outcome instanceof WriteOutcome.Written w) {
            audit.record(
                    actor,
                    AuditAction.VERSION_RESTORE,
                    key,
                    Map.of(
                            "restored",
                            target.number(),
                            "newVersion",
                            w.version().number()));
        }
        return outcome;
    }

    /** Deletes one old version and its blob (to purge a leaked secret; admin); never the current one. */
    public void deleteVersion(Principal actor, StateKey key, long number) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        switch (metadata.deleteVersion(key, number)) {
            case VersionDeleteResult.Deleted d -> {
                blobs.delete(d.blobKey());
                audit.record(actor, AuditAction.VERSION_DELETE, key, Map.of("version", number));
            }
            case VersionDeleteResult.IsCurrent c ->
                throw new ConflictException("version " + number + " is the current version of " + key
                        + "; restore another version first, then delete this one");
            case VersionDeleteResult.NotFound n ->
                throw new NotFoundException("state " + key + " has no version " + number);
        }
    }

    /** Apply sessions (read), newest first: runs of consecutive versions written under one lock ID. */
    public List<ApplySession> sessions(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        List<VersionRecord> oldestFirst = allVersionsOldestFirst(key);
        String heldId = metadata.findLock(key).map(LockRecord::id).orElse(null);
        List<ApplySession> sessions = new ArrayList<>();
        List<VersionRecord> run = new ArrayList<>();
        for (VersionRecord v : oldestFirst) {
            if (!run.isEmpty() && !sameSession(run.get(0), v)) {
                sessions.add(session(run, heldId));
                run = new ArrayList<>();
            }
            if (v.lockId() != null) {
                run.add(v);
            }
        }
        if (!run.isEmpty()) {
            sessions.add(session(run, heldId));
        }
        return sessions.reversed();
    }

    /** Restores the last version written before the session under {@code lockId} began (admin). */
    public WriteOutcome revertSession(Principal actor, StateKey key, String lockId) throws IOException {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        ApplySession session = sessions(actor, key).stream()
                .filter(s -> s.lockId().equals(lockId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("state " + key + " has no session under lock " + lockId));
        long first = session.versions().get(0);
        List<VersionRecord> before = allVersionsOldestFirst(key).stream()
                .filter(v -> v.number() < first)
                .toList();
        if (before.isEmpty()) {
            throw new ConflictException("no version of " + key + " was written before this session");
        }
        WriteOutcome outcome = restore(actor, key, before.get(before.size() - 1).number());
        if (outcome instanceof WriteOutcome.Written) {
            audit.record(actor, AuditAction.SESSION_REVERT, key, Map.of("lockId", lockId));
        }
        return outcome;
    }

    private List<VersionRecord> allVersionsOldestFirst(StateKey key) {
        List<VersionRecord> all = new ArrayList<>();
        Long before = null;
        do {
            Page<VersionRecord> page = metadata.listVersions(key, new PageRequest(PageRequest.MAX_LIMIT, before));
            all.addAll(page.items());
            before = page.nextBefore();
        } while (before != null);
        return all.reversed();
    }

    private static boolean sameSession(VersionRecord first, VersionRecord next) {
        return first.lockId() != null && first.lockId().equals(next.lockId());
    }

    private static ApplySession session(List<VersionRecord> run, String heldId) {
        VersionRecord first = run.get(0);
        VersionRecord last = run.get(run.size() - 1);
        return new ApplySession(
                first.lockId(),
                first.operation(),
                first.principal(),
                first.createdAt(),
                last.createdAt(),
                run.stream().map(VersionRecord::number).toList(),
                first.lockId().equals(heldId));
    }
}
