package dev.statefort.core.model;

/** Outcome of {@code MetadataStore.deleteVersion}. */
public sealed interface VersionDeleteResult {
    /** The row is gone; the caller deletes the blob. */
    record Deleted(String blobKey) implements VersionDeleteResult {}

    /** The version is the current one and was not deleted. */
    record IsCurrent() implements VersionDeleteResult {}

    /** No such version. */
    record NotFound() implements VersionDeleteResult {}
}
