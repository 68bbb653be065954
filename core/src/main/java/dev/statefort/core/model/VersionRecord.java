package dev.statefort.core.model;

import java.time.Instant;

/**
 * One accepted write of a state.
 *
 * @param number server-assigned, 1, 2, 3 ... per state, never reused
 * @param serial the client's {@code serial} when the body is a readable Terraform state, else null
 * @param lineage the client's {@code lineage} when readable, else null
 * @param sha256 lowercase hex SHA-256 of the exact bytes written
 * @param size bytes written
 * @param principal who wrote it (a token ID or user name)
 * @param lockId the {@code ?ID=} it was written with, or null
 * @param operation the {@code Operation} of the lock it was written under, or null
 * @param blobKey where the bytes live in the {@code BlobStore}
 * @param resourceCount resource instances in a readable Terraform state, else null
 * @param terraformVersion the state's {@code terraform_version} when readable, else null
 * @param flags destructive-write guard findings accepted under {@code warn} (never null)
 */
public record VersionRecord(
        StateKey key,
        long number,
        Long serial,
        String lineage,
        String sha256,
        long size,
        Instant createdAt,
        String principal,
        String lockId,
        String operation,
        String blobKey,
        Integer resourceCount,
        String terraformVersion,
        java.util.List<String> flags) {
    public VersionRecord {
        flags = flags == null ? java.util.List.of() : java.util.List.copyOf(flags);
    }
}
