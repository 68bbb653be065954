package dev.statefort.core.model;

import java.util.Objects;

/**
 * One request to {@code MetadataStore.commitVersion}: the new version of {@code key} written under
 * {@code lockId} (null: without a lock), the versions {@code retention} no longer keeps to prune in
 * the same transaction, the {@code audit} event to append with it (null: none), and the version's
 * encoded bytes when they are kept in the database ({@code smallBlob}, stored under the version's blob
 * key in the same transaction; null: the bytes are already in a blob store).
 */
public record VersionCommit(
        StateKey key,
        NewVersion version,
        String lockId,
        RetentionPolicy retention,
        AuditEvent audit,
        byte[] smallBlob) {
    public VersionCommit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(retention, "retention");
    }

    /** Keeps every version and appends no audit event. */
    public static VersionCommit of(StateKey key, NewVersion version, String lockId) {
        return new VersionCommit(key, version, lockId, RetentionPolicy.KEEP_ALL, null, null);
    }

    public VersionCommit withRetention(RetentionPolicy newRetention) {
        return new VersionCommit(key, version, lockId, newRetention, audit, smallBlob);
    }

    public VersionCommit withAudit(AuditEvent event) {
        return new VersionCommit(key, version, lockId, retention, Objects.requireNonNull(event, "audit"), smallBlob);
    }

    /** The version's bytes, to keep in the database under its blob key with the commit (null: none). */
    public VersionCommit withSmallBlob(byte[] content) {
        return new VersionCommit(key, version, lockId, retention, audit, content);
    }
}
