package dev.statefort.core.model;

import java.time.Instant;

/**
 * A held lock: the client's LockInfo, the principal that took it, when, and the last activity
 * under it (the last LOCK or write carrying its ID).
 *
 * @param credential what the credential that took it is bound by ({@code jwt:<SHA-256 of the token>}
 *     for an OIDC ID token, whose holder may finish the apply under it after the token expired), or
 *     null
 */
public record LockRecord(
        LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt, String credential) {

    /** A lock not bound to its credential. */
    public LockRecord(LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt) {
        this(info, principal, acquiredAt, lastActivityAt, null);
    }

    public String id() {
        return info.id();
    }

    /** Stale: nothing happened under it (LOCK or write with its ID) for {@code staleAfter} up to {@code now}. */
    public boolean staleAt(Instant now, java.time.Duration staleAfter) {
        return lastActivityAt.isBefore(now.minus(staleAfter));
    }
}
