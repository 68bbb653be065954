package dev.statefort.core.spi;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes the destructive-write guard refused, kept aside until an admin promotes or discards them. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface QuarantineStore {
    // ---- quarantine (destructive-write guard) -------------------------------------------------

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

    /**
     * Compare-and-set on one quarantined write's blob: points it at {@code newBlobKey} only if it
     * still points at {@code expectedBlobKey}; false (nothing changed) if it is gone or points
     * elsewhere.
     */
    boolean replaceQuarantineBlob(StateKey key, long id, String expectedBlobKey, String newBlobKey);

    /** Removes a quarantined write; returns its blob key for the caller to delete, or empty if absent. */
    Optional<String> deleteQuarantine(StateKey key, long id);

    /**
     * Atomically turns a quarantined write into the state's new current version (same blob key,
     * {@code principal} and {@code now} as writer and time, flags cleared) and removes it from
     * quarantine, with the lock check and retention of {@link #commitVersion(VersionCommit)}. Empty if no such quarantined write.
     */
    Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention);
}
