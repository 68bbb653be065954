package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.audit.LockRelease;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.policy.StateSettings;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.VersionBlobs;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.Page;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.QuarantineRecord;
import dev.statefort.core.version.VersionDeleteResult;
import dev.statefort.core.version.VersionRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What teams do with history and locks: look inside versions, compare two, restore one, delete one,
 * see apply sessions and revert one, inspect and clear locks, handle quarantined writes, and
 * permit destructive writes for a while. Every change is audited.
 */
public final class HistoryService {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final StateService states;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;
    private final ParsedVersions parsed;

    public HistoryService(
            MetadataStore metadata,
            BlobStore blobs,
            StateService states,
            SettingsService settings,
            AuditService audit,
            Clock clock,
            ParsedVersions parsed) {
        this.parsed = parsed;
        this.metadata = metadata;
        this.blobs = blobs;
        this.states = states;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A version parsed for insight; empty when its content is not a readable Terraform state.
     * Bounded and cached by {@link ParsedVersions} (413 over {@code insight-max-state-size}).
     */
    public Optional<StateDocument> document(StateKey key, long number) throws IOException {
        return parsed.document(version(key, number));
    }

    /** The current version parsed; empty when there is none or it is not readable. */
    public Optional<StateDocument> currentDocument(StateKey key) throws IOException {
        requireProject(key.project());
        Optional<VersionRecord> head = metadata.headVersion(key);
        return head.isEmpty() ? Optional.empty() : parsed.document(head.get());
    }

    public VersionRecord version(StateKey key, long number) {
        requireProject(key.project());
        return metadata.findVersion(key, number)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no version " + number));
    }

    public VersionRecord current(StateKey key) {
        requireProject(key.project());
        return metadata.headVersion(key)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no content yet"));
    }

    /** The diff between two versions; empty when either is not readable. */
    public Optional<StateDiff.Result> diff(StateKey key, long from, long to) throws IOException {
        return parsed.diff(version(key, from), version(key, to));
    }

    /**
     * Writes version {@code number}'s content again as the newest version. A readable state gets the
     * current serial + 1 so serials keep rising; opaque bodies are restored unchanged. Refused (the
     * outcome says by whom) while another ID holds the lock.
     */
    public WriteOutcome restore(StateKey key, long number, String principal) throws IOException {
        VersionRecord target = version(key, number);
        VersionRecord head = current(key);
        byte[] content;
        try (InputStream in = states.readVersion(key, number).content()) {
            content = in.readAllBytes();
        }
        Optional<StateDocument> doc = StateDocument.parse(new ByteArrayInputStream(content));
        if (doc.isPresent() && head.serial() != null) {
            ObjectNode tree = doc.get().tree();
            tree.put("serial", head.serial() + 1);
            content = StateDocument.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        }
        Optional<LockRecord> lock = metadata.findLock(key);
        if (lock.isPresent()) {
            return new WriteOutcome.Locked(lock.get());
        }
        WriteOutcome outcome = states.write(
                key,
                new ByteArrayInputStream(content),
                content.length,
                null,
                null,
                principal,
                StateService.Writer.RESTORE);
        if (outcome instanceof WriteOutcome.Written w) {
            audit.record(
                    principal,
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

    /** Deletes one old version and its blob (to purge a leaked secret); never the current one. */
    public void deleteVersion(StateKey key, long number, String principal) {
        requireProject(key.project());
        switch (metadata.deleteVersion(key, number)) {
            case VersionDeleteResult.Deleted d -> {
                blobs.delete(d.blobKey());
                audit.record(principal, AuditAction.VERSION_DELETE, key, Map.of("version", number));
            }
            case VersionDeleteResult.IsCurrent c ->
                throw new ConflictException("version " + number + " is the current version of " + key
                        + "; restore another version first, then delete this one");
            case VersionDeleteResult.NotFound n ->
                throw new NotFoundException("state " + key + " has no version " + number);
        }
    }

    /** Apply sessions, newest first: runs of consecutive versions written under one lock ID. */
    public List<ApplySession> sessions(StateKey key) {
        requireProject(key.project());
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

    /** Restores the last version written before the session under {@code lockId} began. */
    public WriteOutcome revertSession(StateKey key, String lockId, String principal) throws IOException {
        ApplySession session = sessions(key).stream()
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
        WriteOutcome outcome = restore(key, before.get(before.size() - 1).number(), principal);
        if (outcome instanceof WriteOutcome.Written) {
            audit.record(principal, AuditAction.SESSION_REVERT, key, Map.of("lockId", lockId));
        }
        return outcome;
    }

    /** The lock, if held, and whether it is stale (idle longer than the project's setting). */
    public Optional<LockView> lock(StateKey key) {
        requireProject(key.project());
        Duration staleAfter = Duration.ofMinutes(settings.project(key.project()).lockStaleMinutes());
        return metadata.findLock(key).map(l -> new LockView(l, l.staleAt(clock.instant(), staleAfter)));
    }

    /** A held lock and whether it counts as stale. */
    public record LockView(LockRecord lock, boolean stale) {}

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

    public List<QuarantineRecord> quarantine(StateKey key) {
        requireProject(key.project());
        return metadata.listQuarantine(key);
    }

    public QuarantineRecord quarantined(StateKey key, long id) {
        requireProject(key.project());
        return metadata.findQuarantine(key, id)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
    }

    /** The bytes of a quarantined write. */
    public InputStream quarantinedContent(StateKey key, long id) {
        return open(key, quarantined(key, id).version());
    }

    /** The checked bytes of a quarantined write of {@code key}. */
    private InputStream open(StateKey key, NewVersion body) {
        return VersionBlobs.open(blobs, key, body.blobKey(), body.sha256());
    }

    /** Diff from the current version to a quarantined write; empty when either is not readable. */
    public Optional<StateDiff.Result> diffQuarantined(StateKey key, long id) throws IOException {
        Optional<StateDocument> current = currentDocument(key);
        NewVersion body = quarantined(key, id).version();
        Optional<StateDocument> refused = parsed.parseOnce(key, id, body.size(), () -> open(key, body));
        return current.isPresent() && refused.isPresent()
                ? Optional.of(parsed.compare(current.get(), refused.get()))
                : Optional.empty();
    }

    /** Makes a quarantined write the current version (admin), audited. */
    public CommitResult promote(StateKey key, long id, String principal) {
        requireProject(key.project());
        String lockId = metadata.findLock(key).map(LockRecord::id).orElse(null);
        if (lockId != null) {
            return new CommitResult.LockedBy(metadata.findLock(key).orElseThrow());
        }
        CommitResult result = metadata.promoteQuarantine(
                        key,
                        id,
                        null,
                        principal,
                        clock.instant(),
                        settings.project(key.project()).retention())
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
        if (result instanceof CommitResult.Committed c) {
            c.prunedBlobKeys().forEach(blobs::delete);
            audit.record(
                    principal,
                    AuditAction.QUARANTINE_PROMOTE,
                    key,
                    Map.of("quarantineId", id, "newVersion", c.version().number()));
        }
        return result;
    }

    /** Discards a quarantined write and its blob (admin), audited. */
    public void discard(StateKey key, long id, String principal) {
        requireProject(key.project());
        String blobKey = metadata.deleteQuarantine(key, id)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no quarantined write " + id));
        blobs.delete(blobKey);
        audit.record(principal, AuditAction.QUARANTINE_DISCARD, key, Map.of("quarantineId", id));
    }

    /** The current state as an outputs-only principal sees it; empty before the first write. */
    public Optional<byte[]> outputsOnly(StateKey key) throws IOException {
        requireProject(key.project());
        Optional<VersionRecord> head = metadata.headVersion(key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        if (parsed.isAnalysable(head.get())) {
            Optional<StateDocument> doc = parsed.document(head.get());
            if (doc.isEmpty()) {
                throw new dev.statefort.core.auth.AccessDeniedException("outputs-only access needs a plain Terraform"
                        + " state; this one is client-encrypted or not readable");
            }
            return Optional.of(OutputsOnlyState.synthesize(doc.get(), settings.state(key)));
        }
        // Larger than insight-max-state-size: terraform_remote_state must still work; read it once,
        // holding a permit like any analysis.
        return Optional.of(parsed.bounded(() -> {
            try (InputStream in = states.content(head.get())) {
                return OutputsOnlyState.synthesize(in, settings.state(key));
            }
        }));
    }

    /** Which outputs outputs-only principals may read (admin), audited. */
    public StateSettings setOutputsAccess(
            StateKey key, List<String> allowed, List<String> sensitiveAllowed, String principal) {
        requireProject(key.project());
        StateSettings updated = settings.state(key)
                .withOutputsAccess(
                        allowed == null ? null : List.copyOf(allowed),
                        sensitiveAllowed == null ? null : List.copyOf(sensitiveAllowed));
        settings.saveState(key, updated);
        Map<String, Object> detail = new java.util.HashMap<>();
        detail.put("outputsAllowed", allowed);
        detail.put("sensitiveOutputsAllowed", sensitiveAllowed);
        audit.record(principal, AuditAction.STATE_OUTPUTS_ACCESS, key, detail);
        return updated;
    }

    public StateSettings stateSettings(StateKey key) {
        requireProject(key.project());
        return settings.state(key);
    }

    /** Allows destructive writes on one state until now + {@code minutes} (admin), audited. */
    public Instant permitDestructive(StateKey key, int minutes, String principal) {
        requireProject(key.project());
        if (minutes < 1 || minutes > 24 * 60) {
            throw new dev.statefort.core.InvalidInputException("a permit lasts 1..1440 minutes");
        }
        Instant until = clock.instant().plus(Duration.ofMinutes(minutes));
        settings.saveState(key, settings.state(key).withPermit(until, principal));
        audit.record(principal, AuditAction.STATE_PERMIT_DESTRUCTIVE, key, Map.of("until", until.toString()));
        return until;
    }

    /** Ends a destructive-write permit early, audited. */
    public void revokePermit(StateKey key, String principal) {
        requireProject(key.project());
        settings.saveState(key, settings.state(key).withPermit(null, null));
        audit.record(principal, AuditAction.STATE_PERMIT_REVOKED, key, Map.of());
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

    private void requireProject(String project) {
        if (metadata.findProject(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
    }
}
