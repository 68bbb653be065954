package dev.statefort.core.auth;

import dev.statefort.core.state.StateKey;
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
 * @param createdBy the principal that created it
 * @param revokedAt null while the alias works
 */
public record AliasRecord(
        String id,
        StateKey state,
        String username,
        Permission permission,
        String secretHash,
        String createdBy,
        Instant createdAt,
        Instant revokedAt) {

    public boolean isRevoked() {
        return revokedAt != null;
    }

    @Override
    public String toString() {
        return "AliasRecord[" + id + " -> " + state + (isRevoked() ? ", revoked" : "") + "]";
    }
}
