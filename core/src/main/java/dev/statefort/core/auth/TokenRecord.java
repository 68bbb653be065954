package dev.statefort.core.auth;

import java.time.Instant;

/**
 * A stored API token. The secret itself is never stored, only its hash.
 *
 * @param id the public part of {@code sft_<id>_<secret>}
 * @param name a label chosen by the creator, may be null
 * @param project the one project this token is scoped to, or null for all projects
 * @param secretHash lowercase hex SHA-256 of the secret
 * @param revokedAt null while the token is valid
 */
public record TokenRecord(
        String id,
        String name,
        String project,
        Permission permission,
        String secretHash,
        Instant createdAt,
        Instant revokedAt) {
    public boolean isRevoked() {
        return revokedAt != null;
    }
}
