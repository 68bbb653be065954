package dev.statefort.core.spi;

import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.project.ProjectRecord;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateRecord;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.Page;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.QuarantineRecord;
import dev.statefort.core.version.RetentionPolicy;
import dev.statefort.core.version.VersionCommit;
import dev.statefort.core.version.VersionDeleteResult;
import dev.statefort.core.version.VersionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Projects, states, versions, locks and tokens. This Javadoc is the whole contract; every
 * implementation passes {@code MetadataStoreContract} in store-tck.
 *
 * <p>General rules:
 *
 * <ul>
 *   <li>Every state change is one atomic conditional write: two nodes sharing one database never
 *       both win a lock, never assign the same version number, never lose a committed version.
 *   <li>Conditional outcomes come back as sealed results ({@link LockResult}, {@link
 *       UnlockResult}, {@link CommitResult}, {@link DeleteResult}); "not found" is an empty
 *       Optional or a {@link ProjectNotFoundException}; infrastructure failure is a {@link
 *       StoreUnavailableException}. No method turns a failure into data.
 *   <li>A state row is created by its first {@link #tryLock} or {@link #commitVersion}; both throw
 *       {@link ProjectNotFoundException} when the project does not exist.
 *   <li>Locks belong to the state, not to a connection or session: they survive restarts.
 *   <li>Lists are ordered: projects and states by name (by UTF-16 code unit, as {@link
 *       String#compareTo}), versions newest first, tokens by creation time (then ID).
 *   <li>Times are kept at millisecond precision: every {@link Instant} read back equals the one
 *       written, truncated to milliseconds.
 * </ul>
 */
public interface MetadataStore extends AutoCloseable {

    // ---- projects -------------------------------------------------------------------------

    /** Creates the project; returns false (and changes nothing) if it already exists. */
    boolean createProject(String name, Instant now);

    Optional<ProjectRecord> findProject(String name);

    List<ProjectRecord> listProjects();

    // ---- states ---------------------------------------------------------------------------

    /**
     * All states of a project, by name, each with its current version and lock; empty when the
     * project does not exist.
     */
    List<StateRecord> listStates(String project);

    Optional<StateRecord> findState(StateKey key);

    /**
     * Deletes a state with all its versions, quarantined writes, settings and its lock; {@link
     * DeleteResult.Deleted#blobKeys()} are the versions' blob keys (by number) followed by the
     * quarantined writes' (by ID), for the caller to delete after this returns. Refused with {@link
     * DeleteResult.LockedBy} when a lock is held under an ID other than {@code lockId} ({@code
     * lockId} null means: refuse when any lock is held).
     */
    DeleteResult deleteState(StateKey key, String lockId);

    // ---- locks ----------------------------------------------------------------------------

    /**
     * Takes the state's lock for {@code request.info().id()}.
     *
     * <ul>
     *   <li>Unlocked: stores the LockInfo bytes exactly, the principal and {@code now} as both
     *       acquired and last-activity time; {@link LockResult.Acquired}.
     *   <li>Held by the same ID: {@link LockResult.Acquired} with the stored record; only the
     *       last-activity time moves to {@code now} (the client retries LOCK after errors).
     *   <li>Held by another ID: {@link LockResult.HeldBy} with the holder, unchanged.
     *   <li>The state does not exist yet: it is created (first apply locks before any write).
     * </ul>
     *
     * When the lock is granted, the request's audit event (if any) is appended in the same
     * transaction, as by {@link #appendAudit}; a refused LOCK appends nothing and, in a store with
     * a single writer, is answered from a read.
     */
    LockResult tryLock(StateKey key, LockRequest request);

    /**
     * Releases the state's lock.
     *
     * <ul>
     *   <li>{@code lockId} null: releases whatever is held (force-unlock).
     *   <li>{@code lockId} equal to the holder's: releases.
     *   <li>{@code lockId} different from the holder's: {@link UnlockResult.HeldBy}, unchanged.
     *   <li>Nothing held, or no such state: {@link UnlockResult.NotLocked}.
     * </ul>
     *
     * @param released when a lock is released, the audit event to append in the same transaction
     *     (given the released lock; null: none)
     */
    UnlockResult unlock(StateKey key, String lockId, Function<LockRecord, AuditEvent> released);

    /** {@link #unlock(StateKey, String, Function)} without an audit event. */
    default UnlockResult unlock(StateKey key, String lockId) {
        return unlock(key, lockId, null);
    }

    Optional<LockRecord> findLock(StateKey key);

    // ---- versions -------------------------------------------------------------------------

    /**
     * Appends {@code commit.version()} to {@code commit.key()} and makes it current, in one
     * transaction with the lock check, the pruning and the audit event.
     *
     * <ul>
     *   <li>Locked by an ID other than {@code lockId} (or locked and {@code lockId} is null):
     *       {@link CommitResult.LockedBy}, nothing written.
     *   <li>Unlocked and {@code lockId} equal to the state's fenced lock ID (see {@link
     *       #expireLock}): {@link CommitResult.Fenced}, nothing written.
     *   <li>Otherwise the version gets the next number (1 for a new state, then previous + 1,
     *       never reused or skipped under concurrency), records {@code lockId} and, when the lock
     *       is held under that ID, the lock's operation; the lock's last-activity moves to the
     *       version's time. Unlocked and any other non-null {@code lockId} (the lock was
     *       force-released meanwhile) is accepted.
     *   <li>Retention: the versions {@code commit.retention()} no longer keeps are deleted (never
     *       the new current one) and their blob keys returned in {@link
     *       CommitResult.Committed#prunedBlobKeys()} (by number). With the new version numbered
     *       {@code n} at time {@code t}, exactly the versions numbered at most {@code n -
     *       keepVersions} that were created strictly before {@code t - keepNewerThan} (any time when
     *       {@code keepNewerThan} is null) go; numbers, not the count of remaining rows, decide.
     *   <li>Audit: a non-null {@code commit.audit()} is appended when the version is committed,
     *       with the new version's number as its {@link AuditEvent#version()} and its ID and time
     *       assigned as by {@link #appendAudit}; a refused commit appends nothing. So an accepted
     *       write is never without its audit event, even across a crash.
     * </ul>
     */
    CommitResult commitVersion(VersionCommit commit);

    /** The current (highest-numbered) version. */
    Optional<VersionRecord> headVersion(StateKey key);

    Optional<VersionRecord> findVersion(StateKey key, long number);

    /** Versions newest first, {@code page.limit()} at most, below {@code page.before()} if set. */
    Page<VersionRecord> listVersions(StateKey key, PageRequest page);

    /**
     * Deletes one version's row. Never the current version ({@link VersionDeleteResult.IsCurrent});
     * {@link VersionDeleteResult.NotFound} when there is no such version (or state); the caller
     * deletes the returned blob after this returns. Later commits continue numbering from the
     * current version: numbers are never reused.
     */
    VersionDeleteResult deleteVersion(StateKey key, long number);

    // ---- quarantine (destructive-write guard) ---------------------------------------------

    /**
     * Keeps a refused write (its blob already stored) under the next quarantine ID of the state
     * (1, 2, 3 ..., not reused while the state exists). Creates the state row if needed;
     * ProjectNotFoundException for a missing project. The record returned (and read back) has the
     * version's time truncated to milliseconds.
     */
    QuarantineRecord quarantine(StateKey key, NewVersion version, String lockId, List<String> reasons);

    /** Quarantined writes of a state, newest (highest ID) first. */
    List<QuarantineRecord> listQuarantine(StateKey key);

    Optional<QuarantineRecord> findQuarantine(StateKey key, long id);

    /** Removes a quarantined write; returns its blob key for the caller to delete, or empty if absent. */
    Optional<String> deleteQuarantine(StateKey key, long id);

    /**
     * Atomically turns a quarantined write into the state's new current version (same blob key,
     * {@code principal} and {@code now} as writer and time, flags cleared) and removes it from
     * quarantine, with the lock check and retention of {@link #commitVersion(VersionCommit)}. Empty if no such quarantined write.
     */
    Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention);

    // ---- settings documents ---------------------------------------------------------------

    /** The project's settings as a JSON object, or empty when never saved. */
    Optional<String> findProjectSettings(String project);

    /** Replaces the project's settings JSON (last write wins); ProjectNotFoundException if missing. */
    void saveProjectSettings(String project, String json, Instant now);

    /** One state's settings as a JSON object (e.g. a destructive-write permit), or empty. */
    Optional<String> findStateSettings(StateKey key);

    /** Replaces one state's settings JSON; creates the state row if needed. */
    void saveStateSettings(StateKey key, String json, Instant now);

    // ---- lock expiry -----------------------------------------------------------------------

    /**
     * Releases the lock if it is held under {@code lockId} and its last activity is before {@code
     * idleBefore}, and records it as the state's fenced lock (its ID and LockInfo), so later writes
     * carrying that ID get {@link CommitResult.Fenced}. One atomic conditional write; false if the
     * lock is held by another ID, is not idle long enough, or nothing is held.
     */
    boolean expireLock(StateKey key, String lockId, Instant idleBefore);

    // ---- audit ----------------------------------------------------------------------------

    /**
     * Appends an event and returns it as stored: the store assigns {@link AuditEvent#id()} (the
     * given one is ignored) with {@link AuditEvent#newId}, so IDs compare (as strings) in time
     * order; the time is truncated to milliseconds. Times before 1970 are an IllegalArgumentException.
     */
    AuditEvent appendAudit(AuditEvent event);

    /**
     * Appends an event like {@link #appendAudit} but may return before it is durable (a crash may
     * lose it): for events no client waits for, such as a refused LOCK, so that they cost no
     * commit of their own. Events stay in the order they were appended; {@link #listAudit} sees
     * every event appended before it was called.
     */
    default void appendAuditLater(AuditEvent event) {
        appendAudit(event);
    }

    /**
     * Events newest first (by time, then ID), filtered and paged by {@code query}: each non-null
     * filter must match exactly; {@code beforeId} returns only events ordered after it.
     */
    List<AuditEvent> listAudit(AuditQuery query);

    // ---- tokens ---------------------------------------------------------------------------

    /** Stores a new token; the ID is unique (an existing ID is an IllegalArgumentException). */
    void createToken(TokenRecord token);

    Optional<TokenRecord> findToken(String id);

    List<TokenRecord> listTokens();

    /**
     * Marks the token revoked at {@code now}, and in the same transaction every valid token
     * descending from it ({@link TokenRecord#parentId()}, transitively); false if no such token or
     * already revoked (its descendants are then left as they are).
     */
    boolean revokeToken(String id, Instant now);

    /** Sets the token's {@code lastUsedAt} to {@code now}; false if there is no such token. */
    boolean recordTokenUse(String id, Instant now);

    // ---- access ---------------------------------------------------------------------------

    /** Users, memberships, aliases and sessions, in the same database. */
    AccessStore access();

    // ---- key material ---------------------------------------------------------------------

    /**
     * Named opaque bytes for encryption: wrapped project keysets ({@code project/<name>}) and the
     * master-key check value ({@code master-check}). Empty when nothing is stored under the name.
     * The array returned is the caller's own copy.
     */
    Optional<byte[]> findKeyMaterial(String name);

    /**
     * Compare-and-set: stores {@code replacement} under {@code name} only if the stored bytes equal
     * {@code expected} ({@code expected} null = only if nothing is stored yet). Returns false and
     * changes nothing otherwise. Atomic across nodes sharing the database. {@code replacement} must
     * not be null; the store keeps its own copy.
     */
    boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now);

    /** All key material names, sorted by {@code String.compareTo}. */
    List<String> listKeyMaterialNames();

    // ---- re-encryption ----------------------------------------------------------------------

    /**
     * Versions of every state of {@code project}, ordered by state name (as {@link
     * String#compareTo}) then version number ascending, starting strictly after ({@code afterState},
     * {@code afterNumber}) (both null = from the start), at most {@code limit}. Used to walk all
     * blobs of a project in resumable pages. Empty when the project does not exist. Arguments are
     * checked by {@link #checkProjectVersionsPage}.
     */
    List<VersionRecord> listProjectVersions(String project, String afterState, Long afterNumber, int limit);

    /**
     * Compare-and-set on one version's blob: points it at {@code newBlobKey} only if it still points
     * at {@code expectedBlobKey}; false (nothing changed) if the version is gone or points elsewhere.
     */
    boolean replaceVersionBlob(StateKey key, long number, String expectedBlobKey, String newBlobKey);

    /**
     * The argument rules of {@link #listProjectVersions}, for implementations: {@code afterState}
     * and {@code afterNumber} are both null or both set, and {@code limit} is 1..{@link
     * PageRequest#MAX_LIMIT}; otherwise an IllegalArgumentException.
     */
    static void checkProjectVersionsPage(String afterState, Long afterNumber, int limit) {
        if ((afterState == null) != (afterNumber == null)) {
            throw new IllegalArgumentException("afterState and afterNumber must both be null or both be set");
        }
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + PageRequest.MAX_LIMIT);
        }
    }

    // ---- health ---------------------------------------------------------------------------

    /** Checks the database answers; throws {@link StoreUnavailableException} if not. */
    void ping();

    @Override
    default void close() {}
}
