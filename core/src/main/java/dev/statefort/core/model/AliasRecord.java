package dev.statefort.core.model;

import java.time.Instant;

/**
 * An extra, unguessable backend address {@code /tf/alias/{id}} for one state, bound to its own
 * credentials. The password is a server-generated 256-bit secret of which only the SHA-256 is
 * stored (like a token's).
 *
 * @param id the unguessable path segment
 * @param username the Basic-auth user name the alias accepts
 * @param permission what the alias may do on its state ({@code read} or {@code write})
 * @param secretHash lowercase hex SHA-256 of the password; never logged
 * @param createdBy the principal that created it, as audit shows it
 * @param revokedAt null while the alias works
 * @param maker the user and token that made it, checked at every request (never null; {@link
 *     AliasMaker#UNRECORDED} when there is none)
 * @param expiresAt the alias stops working at this time; null = never
 */
public record AliasRecord(
        String id,
        StateKey state,
        String username,
        Permission permission,
        String secretHash,
        String createdBy,
        Instant createdAt,
        Instant revokedAt,
        AliasMaker maker,
        Instant expiresAt) {

    public AliasRecord {
        maker = maker == null ? AliasMaker.UNRECORDED : maker;
    }

    /** An alias without a recorded maker or expiry (the shape before issue 25). */
    public AliasRecord(
            String id,
            StateKey state,
            String username,
            Permission permission,
            String secretHash,
            String createdBy,
            Instant createdAt,
            Instant revokedAt) {
        this(id, state, username, permission, secretHash, createdBy, createdAt, revokedAt, AliasMaker.UNRECORDED, null);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** Whether it has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The same alias with another secret hash and revocation time. */
    public AliasRecord with(String newSecretHash, Instant newRevokedAt) {
        return new AliasRecord(
                id, state, username, permission, newSecretHash, createdBy, createdAt, newRevokedAt, maker, expiresAt);
    }

    @Override
    public String toString() {
        return "AliasRecord[" + id + " -> " + state + (isRevoked() ? ", revoked" : "") + "]";
    }
}
