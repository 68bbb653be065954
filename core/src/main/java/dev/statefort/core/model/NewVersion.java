package dev.statefort.core.model;

import java.time.Instant;

/**
 * A version about to be committed: its bytes are already in the {@code BlobStore} under {@code
 * blobKey}. The store assigns the number and fills lock ID and operation.
 */
public record NewVersion(
        String blobKey,
        Long serial,
        String lineage,
        String sha256,
        long size,
        String principal,
        Instant createdAt,
        Integer resourceCount,
        String terraformVersion,
        java.util.List<String> flags) {
    public NewVersion {
        flags = flags == null ? java.util.List.of() : java.util.List.copyOf(flags);
    }

    /** The same version with its bytes under another key (the same bytes, moved). */
    public NewVersion withBlobKey(String newBlobKey) {
        return new NewVersion(
                newBlobKey,
                serial,
                lineage,
                sha256,
                size,
                principal,
                createdAt,
                resourceCount,
                terraformVersion,
                flags);
    }
}
