package dev.statefort.core.model;

/** Outcome of {@code MetadataStore.commitVersion}. */
public sealed interface CommitResult {
    /**
     * The version is now the state's current version; {@code prunedBlobKeys} are the blobs of the
     * versions retention removed in the same transaction (the caller deletes them after commit).
     */
    record Committed(VersionRecord version, java.util.List<String> prunedBlobKeys) implements CommitResult {
        public Committed {
            prunedBlobKeys = java.util.List.copyOf(prunedBlobKeys);
        }
    }

    /** Another lock ID holds the state; nothing was written. */
    record LockedBy(LockRecord holder) implements CommitResult {}

    /**
     * Unlocked, but {@code lockId} is a lock that expired after inactivity (fencing): the late
     * holder may not write. {@code expired} is that lock's LockInfo.
     */
    record Fenced(dev.statefort.core.model.LockInfo expired) implements CommitResult {}
}
