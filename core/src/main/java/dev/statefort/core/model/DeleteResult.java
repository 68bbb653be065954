package dev.statefort.core.model;

import java.util.List;

/** Outcome of {@code MetadataStore.deleteState}. */
public sealed interface DeleteResult {
    /** The state and all its versions are gone; the caller deletes these blobs. */
    record Deleted(List<String> blobKeys) implements DeleteResult {
        public Deleted {
            blobKeys = List.copyOf(blobKeys);
        }
    }

    /** There was no such state. */
    record NotFound() implements DeleteResult {}

    /** Another lock ID holds the state; nothing was deleted. */
    record LockedBy(LockRecord holder) implements DeleteResult {}
}
