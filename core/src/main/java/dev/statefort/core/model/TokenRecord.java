package dev.statefort.core.model;

import java.time.Instant;

/**
 * A stored API token. The secret itself is never stored, only its hash.
 *
 * @param id the public part of {@code sft_<id>_<secret>}
 * @param name a label chosen by the creator, may be null
 * @param project the one project this token is scoped to, or null for all projects
 * @param state the one state of {@code project} this token is scoped to, or null for the whole project
 * @param ownerUser the user who owns it (it never grants more than that user has), or null for a
 *     project (robot) token, or a global token made by the CLI
 * @param secretHash lowercase hex SHA-256 of the secret
 * @param expiresAt the token stops working at this time; null = never
 * @param revokedAt null while the token is valid
 * @param lastUsedAt the last time it authenticated a request (coarse: updated at most once a minute), or null
 * @param ownerUserId the immutable {@link UserRecord#id()} of {@code ownerUser}; the token acts only
 *     for that user, never for a later user of the same name
 * @param parentId the token that created this one (its expiry, scope and permission are at most the
 *     parent's, and revoking the parent revokes it), or null
 */
public record TokenRecord(
        String id,
        String name,
        String project,
        String state,
        Permission permission,
        String ownerUser,
        String secretHash,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        String ownerUserId,
        String parentId) {

    /** A project- or all-projects-scoped token without owner, expiry or use (the original shape). */
    public TokenRecord(
            String id,
            String name,
            String project,
            Permission permission,
            String secretHash,
            Instant createdAt,
            Instant revokedAt) {
        this(id, name, project, null, permission, null, secretHash, createdAt, null, revokedAt, null, null, null);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** Whether it has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "TokenRecord[" + id + ", " + permission.wireName() + "]";
    }
}
