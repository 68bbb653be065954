package dev.statefort.core.state;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.GuardMode;
import dev.statefort.core.policy.ProjectSettings;
import dev.statefort.core.policy.QuarantineCap;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.storage.BlobRelocation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, writes, locks and deletes states: the rules of the backend protocol on top of the two
 * stores. Logs keys, versions, sizes and principals; never bodies or LockInfo contents.
 */
public final class StateService {
    private static final Logger LOG = LoggerFactory.getLogger(StateService.class);

    private final MetadataStore metadata;
    private final long maxStateBytes;
    private final Clock clock;
    private final SettingsService settings;
    private final AuditService audit;
    private final StateAuditTrail trail;
    private final DecodedVersions decoded;
    private final ConsumerReads consumerReads;
    private final JointWrite joint;
    private final VersionWriter writer;
    private final DestructiveWriteQuarantine destructiveWrites;
    private final BlobRelocation relocation;
    private final LockService locks;

    /**
     * A state service over the node's stores and services ({@link #withDefaults} builds its own).
     *
     * @param smallStateBytes a write whose stored (compressed, encrypted) bytes are at most about this
     *     many is kept in the database with its version, under a key {@code blobs} must route there
     *     ({@code DatabaseRoutedBlobStore}); 0: every write goes to {@code blobs}
     * @param quarantineCap how many quarantined writes a state keeps
     * @param decoded the cache of decoded versions the reads go through ({@link DecodedVersions#off} for none)
     * @param consumerReads told of every read of a state through an alias (who depends on it)
     */
    public StateService(
            MetadataStore metadata,
            BlobStore blobs,
            long maxStateBytes,
            int smallStateBytes,
            Clock clock,
            SettingsService settings,
            AuditService audit,
            QuarantineCap quarantineCap,
            DecodedVersions decoded,
            ConsumerReads consumerReads) {
        this.decoded = decoded;
        this.consumerReads = consumerReads;
        this.metadata = metadata;
        this.maxStateBytes = maxStateBytes;
        this.clock = clock;
        this.settings = settings;
        this.audit = audit;
        this.trail = new StateAuditTrail(audit);
        this.writer = new VersionWriter(blobs, maxStateBytes, smallStateBytes, clock, trail);
        this.destructiveWrites = new DestructiveWriteQuarantine(metadata, settings, trail, quarantineCap);
        this.relocation = new BlobRelocation(metadata, blobs);
        this.locks = new LockService(metadata, settings, audit, clock);
        this.joint = new JointWrite(metadata, writer, settings, trail, audit, locks, decoded, maxStateBytes);
    }

    /**
     * A state service with its own settings and audit services over {@code metadata}, the default
     * quarantine cap and no cache of decoded versions (tests, tools).
     */
    public static StateService withDefaults(MetadataStore metadata, BlobStore blobs, long maxStateBytes, Clock clock) {
        AuditService audit = new AuditService(metadata, clock);
        return new StateService(
                metadata,
                blobs,
                maxStateBytes,
                0, // every state in {@code blobs}: a store that keeps small ones in the database is the node's
                clock,
                new SettingsService(metadata, clock),
                audit,
                new QuarantineCap(
                        metadata, blobs, audit, QuarantineCap.DEFAULT_MAX_COUNT, QuarantineCap.DEFAULT_MAX_BYTES),
                DecodedVersions.off(blobs),
                ConsumerReads.NONE);
    }

    public long maxStateBytes() {
        return maxStateBytes;
    }

    /** The current version with its bytes (read), or empty when the state has never been written. */
    public Optional<StoredState> read(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        countAliasRead(actor, key);
        return metadata.headVersion(key)
                .map(head -> readFollowingMoves(head, v -> new StoredState(v, decoded.open(v))));
    }

    /**
     * The current version gzip-compressed (made once per version, then kept), for a client that
     * accepts it; empty when there is no version or it is not kept compressed (then read it as it is).
     */
    public Optional<GzippedState> readGzipped(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        countAliasRead(actor, key);
        return metadata.headVersion(key)
                .flatMap(head ->
                        readFollowingMoves(head, v -> decoded.gzipped(v).map(bytes -> new GzippedState(v, bytes))));
    }

    /** An alias hands a state to another party: its reads are who depends on the state. */
    private void countAliasRead(Principal actor, StateKey key) {
        if (actor.isAlias()) {
            consumerReads.read(actor, key, ConsumerReads.ALIAS);
        }
    }

    /** A version and its gzip-compressed bytes. */
    public record GzippedState(VersionRecord version, byte[] gzipped) {}

    /** One version with its bytes (read). */
    public StoredState readVersion(Principal actor, StateKey key, long number) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        VersionRecord version = metadata.findVersion(key, number)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no version " + number));
        return readFollowingMoves(version, v -> new StoredState(v, decoded.open(v)));
    }

    /** The bytes of a version row the caller holds (checked as {@link VersionBlobs} checks them). */
    public InputStream content(VersionRecord version) {
        return readFollowingMoves(version, decoded::open);
    }

    /** {@link #content} for background work: neither counted as a read nor kept in the read cache. */
    public InputStream contentInBackground(VersionRecord version) {
        return readFollowingMoves(version, decoded::openInBackground);
    }

    /**
     * Stores {@code request.body()} as the state's new current version: refused while another ID
     * holds the lock, fenced under an expired one, quarantined when the destructive-write guard
     * enforces and finds it destructive; otherwise committed with its audit event.
     *
     * @throws StateTooLargeException over the size limit
     * @throws InvalidInputException for a Content-MD5 mismatch or a body that is not one JSON object
     */
    public WriteOutcome write(WriteRequest request) throws IOException {
        StateKey key = request.key();
        Principal actor = request.actor();
        ProjectRecord project = Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        locks.protection().requireAllowed(actor, key, request.writer().auditName());
        if (request.declaredLength() > maxStateBytes) {
            throw new StateTooLargeException(maxStateBytes);
        }
        byte[] expectedMd5 = VersionWriter.decodeMd5(request.contentMd5());
        Optional<CommitResult> early = refusedBeforeUpload(key, request.lockId());
        if (early.isPresent()) {
            return underPlanLock(writer.outcome(key, actor, null, null, early.get()), request.lockId());
        }
        StoredBody stored =
                writer.store(key, project.placement(), request.body(), request.declaredLength(), expectedMd5);
        StateSummary summary = stored.summary(); // parsed while it was stored
        ProjectSettings policy = settings.project(key.project());
        List<String> findings = request.writer() != WriteRequest.Writer.CLIENT || policy.guard() == GuardMode.OFF
                ? List.of()
                : DestructiveWriteGuard.findings(
                        metadata.headVersion(key).orElse(null), summary, policy.guardRemovalPercent());
        NewVersion version = writer.newVersion(stored, actor.name(), findings, request.createdAt());
        CommitResult result;
        AuditEvent writeEvent = trail.write(actor, key, stored.size(), request.lockId());
        try {
            if (!findings.isEmpty() && policy.guard() == GuardMode.ENFORCE) {
                stored = writer.keep(stored); // a quarantine row would refer to it
                Optional<WriteOutcome> refused = destructiveWrites.refuseUnlessPermitted(request, version, findings);
                if (refused.isPresent()) {
                    followMove(key, refused.get());
                    return refused.get();
                }
            }
            result = metadata.commitVersion(VersionCommit.of(key, version, request.lockId())
                    .withRetention(policy.retention())
                    .withAudit(writeEvent)
                    .withSmallBlob(stored.pendingSmallBlob()));
        } catch (RuntimeException e) {
            writer.discard(stored);
            throw e;
        }
        if (!findings.isEmpty() && result instanceof CommitResult.Committed c && policy.guard() == GuardMode.WARN) {
            audit.record(
                    actor,
                    AuditAction.STATE_WRITE_FLAGGED,
                    key,
                    Map.of("version", c.version().number(), "findings", findings));
        }
        if (result instanceof CommitResult.Committed c && stored.body() != null) {
            decoded.written(c.version(), stored.body()); // the next read (plan, apply) finds it decoded
        }
        WriteOutcome outcome = writer.outcome(key, actor, stored, writeEvent, result);
        followMove(key, outcome);
        return underPlanLock(outcome, request.lockId());
    }

    /** What {@link #writeTogether} did. */
    public sealed interface JointOutcome {
        /** Every state has its new version, in the order given. */
        record Written(List<VersionRecord> versions) implements JointOutcome {}

        /** {@code state} is locked under another ID: nothing was written. */
        record Locked(StateKey state, LockRecord holder) implements JointOutcome {}

        /** {@code state}'s lock expired after inactivity: nothing was written. */
        record Fenced(StateKey state, dev.statefort.core.model.LockInfo expired) implements JointOutcome {}

        /** The destructive-write guard (enforce) found {@code state}'s part destructive: nothing was written. */
        record Refused(StateKey state, List<String> findings) implements JointOutcome {}
    }

    /**
     * New versions of several states (each body in memory, each under its own lock ID), written as one
     * step: each checked as {@link #write} checks a client's write, then all committed in one
     * transaction, or none. The guard refuses the whole step where it would quarantine a write.
     *
     * @param parts state, body and lock ID, one per state
     */
    public JointOutcome writeTogether(Principal actor, List<JointPart> parts) throws IOException {
        return joint.write(
                actor,
                parts.stream()
                        .map(p -> new JointWrite.Part(p.key(), p.body(), p.lockId()))
                        .toList());
    }

    /** One state's part of {@link #writeTogether}. */
    public record JointPart(StateKey key, byte[] body, String lockId) {}

    /**
     * A whole state body read into memory, for the work that needs it at once (a preview, an import,
     * a TFE client's upload).
     *
     * @throws StateTooLargeException over the size limit (it reads at most one byte more)
     */
    public byte[] readWhole(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxStateBytes + 1));
        if (bytes.length > maxStateBytes) {
            throw new StateTooLargeException(maxStateBytes);
        }
        return bytes;
    }

    /**
     * How a write of {@code body} would be judged, writing nothing: its summary, and the
     * destructive-write guard's findings against the current version under the project's mode.
     *
     * @throws StateTooLargeException over the size limit
     */
    public WritePreview preview(Principal actor, StateKey key, InputStream body) throws IOException {
        Authorization.requireOn(actor, key, Permission.WRITE, metadata);
        byte[] bytes = readWhole(body);
        StateSummary summary = StateBodyParser.parse(new java.io.ByteArrayInputStream(bytes));
        ProjectSettings policy = settings.project(key.project());
        VersionRecord current = metadata.headVersion(key).orElse(null);
        List<String> findings = policy.guard() == GuardMode.OFF
                ? List.of()
                : DestructiveWriteGuard.findings(current, summary, policy.guardRemovalPercent());
        return new WritePreview(summary, bytes.length, current, findings, policy.guard());
    }

    /**
     * The write's fast path, before its body is stored: under another ID's lock, or under a lock the
     * project's idle expiry releases now, the write gets the refusal the commit would give (the
     * commit checks again atomically and stays the one truth). It records nothing itself: {@link
     * VersionWriter#outcome} audits a refusal the same way whichever of the two found it.
     */
    private Optional<CommitResult> refusedBeforeUpload(StateKey key, String lockId) {
        Optional<LockRecord> lock = metadata.findLock(key);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        if (!lock.get().id().equals(lockId)) {
            return Optional.of(new CommitResult.LockedBy(lock.get()));
        }
        if (locks.expireIfIdle(key, lock.get(), clock.instant())) {
            return Optional.of(new CommitResult.Fenced(lock.get().info()));
        }
        return Optional.empty();
    }

    /** The lock use cases this service's writes and deletes share (the node serves LOCK and UNLOCK with it). */
    public LockService locks() {
        return locks;
    }

    /** A write refused because its ID is a plan lock's: a plan lock never allows a write (409, not 423). */
    private static WriteOutcome underPlanLock(WriteOutcome outcome, String lockId) {
        if (outcome instanceof WriteOutcome.Locked locked
                && locked.holder().plan()
                && locked.holder().id().equals(lockId)) {
            return new WriteOutcome.PlanLockOnly(locked.holder());
        }
        return outcome;
    }

    /**
     * Deletes the state and its history; blobs are removed after the metadata commit. Refused while
     * someone else holds a lock (or any plan lock) and while a freeze is in force; on a protected
     * state, only by an identity the rule allows.
     */
    public DeleteResult delete(Principal actor, StateKey key, String lockId) {
        Authorization.requireOn(actor, key, Permission.ADMIN, metadata);
        locks.protection().requireAllowed(actor, key, "delete");
        Optional<dev.statefort.core.model.Freeze> freeze = metadata.findFreeze(key, clock.instant());
        if (freeze.isPresent()) {
            trail.deleteRefused(actor, key, freeze.get().asHolder().id());
            return new DeleteResult.LockedBy(freeze.get().asHolder());
        }
        DeleteResult result = metadata.deleteState(key, LockInfo.queryId(lockId));
        if (result instanceof DeleteResult.LockedBy locked) {
            trail.deleteRefused(actor, key, locked.holder().id());
        }
        if (result instanceof DeleteResult.Deleted deleted) {
            locks.forgetHolder(key);
            trail.deleted(actor, key, deleted.blobKeys().size());
            deleted.blobKeys().forEach(writer::deleteQuietly);
            LOG.info(
                    "state {} deleted by {} ({} versions)",
                    key,
                    actor.name(),
                    deleted.blobKeys().size());
        }
        return result;
    }

    /** The states of a project (read on the whole project). */
    public List<StateRecord> states(Principal actor, String project) {
        Authorization.requireOn(actor, project, Permission.READ, metadata);
        return metadata.listStates(project);
    }

    /** One state with its current version and lock (one lookup, not a scan of the project). */
    public Optional<StateRecord> state(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.findState(key);
    }

    public Page<VersionRecord> versions(Principal actor, StateKey key, PageRequest page) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.listVersions(key, page);
    }

    private void followMove(StateKey key, WriteOutcome outcome) {
        switch (outcome) {
            case WriteOutcome.Written w -> relocation.followMove(key, w.version());
            case WriteOutcome.Refused r -> relocation.followMove(key, r.quarantined());
            default -> {}
        }
    }

    /**
     * Reads {@code version} with {@code read}; when its blob is gone because the version was given a
     * new key meanwhile (a storage move or a re-encryption switched it, then deleted the old blob),
     * reads it again under the new key.
     */
    private <T> T readFollowingMoves(VersionRecord version, Function<VersionRecord, T> read) {
        try {
            return read.apply(version);
        } catch (BlobNotFoundException e) {
            VersionRecord moved = metadata.findVersion(version.key(), version.number())
                    .filter(now -> !now.blobKey().equals(version.blobKey()))
                    .orElseThrow(() -> e);
            return read.apply(moved);
        }
    }
}
