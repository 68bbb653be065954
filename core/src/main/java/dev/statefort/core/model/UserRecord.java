package dev.statefort.core.model;

import java.time.Instant;

/**
 * A local user. The password itself is never stored, only its Argon2id hash.
 *
 * @param id immutable and never reused: what the user's tokens belong to (a new user of a deleted
 *     user's name is another user)
 * @param name unique, a valid name ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
 * @param passwordHash the encoded Argon2id hash (see {@code PasswordHasher}); never logged
 * @param globalAdmin admin of every project, may create projects and users
 * @param mustChangePassword true until the user sets a password of their own (the first start's
 *     generated admin password, or one set by an administrator)
 */
public record UserRecord(
        String id,
        String name,
        String passwordHash,
        boolean globalAdmin,
        boolean mustChangePassword,
        Instant createdAt,
        Instant passwordChangedAt) {

    @Override
    public String toString() {
        return "UserRecord[" + name + (globalAdmin ? ", global admin" : "") + "]";
    }
}
