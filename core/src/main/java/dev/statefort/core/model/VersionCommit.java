package dev.statefort.core.model;

import java.util.Objects;

/**
 * One request to {@code MetadataStore.commitVersion}: the new version of {@code key} written under
 * {@code lockId} (null: without a lock), the versions {@code retention} no longer keeps to prune in
 * the same transaction, and the {@code audit} event to append with it (null: none).
 */
public record VersionCommit(
        StateKey key, NewVersion version, String lockId, RetentionPolicy retention, AuditEvent audit) {
    public VersionCommit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(retention, "retention");
    }

    /** Keeps every version and appends no audit event. */
    public static VersionCommit of(StateKey key, NewVersion version, String lockId) {
        return new VersionCommit(key, version, lockId, RetentionPolicy.KEEP_ALL, null);
    }

    public VersionCommit withRetention(RetentionPolicy newRetention) {
        return new VersionCommit(key, version, lockId, newRetention, audit);
    }

    public VersionCommit withAudit(AuditEvent event) {
        return new VersionCommit(key, version, lockId, retention, Objects.requireNonNull(event, "audit"));
    }
}
