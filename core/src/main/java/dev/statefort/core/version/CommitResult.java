package dev.statefort.core.version;

import dev.statefort.core.lock.LockRecord;

/** Outcome of {@code MetadataStore.commitVersion}. */
public sealed interface CommitResult {
    /** The version is now the state's current version. */
    record Committed(VersionRecord version) implements CommitResult {}

    /** Another lock ID holds the state; nothing was written. */
    record LockedBy(LockRecord holder) implements CommitResult {}
}
