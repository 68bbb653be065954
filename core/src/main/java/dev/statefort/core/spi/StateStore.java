package dev.statefort.core.spi;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionDeleteResult;
import dev.statefort.core.model.VersionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * States and their versions: commit, read, list, delete, and the re-encryption walk over a project's versions. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface StateStore {
    // ---- states -------------------------------------------------------------------------------

    /**
     * All states of a project, by name, each with its current version and lock; empty when the
     * project does not exist.
     */
    List<StateRecord> listStates(String project);

    Optional<StateRecord> findState(StateKey key);

    /**
     * Creates the state with no version and no lock (what a TFE client's "new workspace" is); true
     * when it was created, false when it already existed.
     *
     * @throws ProjectNotFoundException when the project does not exist
     */
    boolean createState(StateKey key, Instant now);

    /**
     * Deletes a state with all its versions, quarantined writes, settings and its lock; {@link
     * DeleteResult.Deleted#blobKeys()} are the versions' blob keys (by number) followed by the
     * quarantined writes' (by ID), for the caller to delete after this returns. Refused with {@link
     * DeleteResult.LockedBy} when a lock is held under an ID other than {@code lockId} ({@code
     * lockId} null means: refuse when any lock is held).
     */
    DeleteResult deleteState(StateKey key, String lockId);

    // ---- versions -----------------------------------------------------------------------------

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
     *       assigned as by {@link MetadataStore#appendAudit}; a refused commit appends nothing. So an accepted
     *       write is never without its audit event, even across a crash.
     * </ul>
     */
    CommitResult commitVersion(VersionCommit commit);

    /**
     * Commits each of {@code commits} (each on a different state) as {@link #commitVersion} would, all
     * in one transaction: every one is written, or, when any would be refused, none is and the answer
     * names the first refused and why. So a change spanning two states (a resource moved from one to
     * the other) is seen, and survives a crash, whole or not at all.
     *
     * @throws IllegalArgumentException when two commits name the same state, or none is given
     */
    dev.statefort.core.model.JointCommit commitVersions(List<VersionCommit> commits);

    /** The argument rules of {@link #commitVersions}, for implementations. */
    static void checkJointCommits(List<VersionCommit> commits) {
        if (commits.isEmpty()
                || commits.stream().map(VersionCommit::key).distinct().count() != commits.size()) {
            throw new IllegalArgumentException("commitVersions needs one commit per state, at least one");
        }
    }

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

    // ---- re-encryption ------------------------------------------------------------------------

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
}
