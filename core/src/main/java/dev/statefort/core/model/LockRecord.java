package dev.statefort.core.model;

import java.time.Instant;

/**
 * A held lock: the client's LockInfo, the principal that took it, when, and the last activity
 * under it (the last LOCK or write carrying its ID).
 *
 * @param credential what the credential that took it is bound by ({@code jwt:<SHA-256 of the token>}
 *     for an OIDC ID token, whose holder may finish the apply under it after the token expired), or
 *     null
 * @param kind what the holder is: the exclusive lock, one of the shared plan locks, or what a
 *     refused client is shown in a holder's place (a freeze, a protection rule, the exclusive LOCK
 *     that waits for the plan locks to end)
 */
public record LockRecord(
        LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt, String credential, Kind kind) {

    /** What a lock record stands for. */
    public enum Kind {
        /** The one lock an apply (or any other operation than a plan) holds: no other lock beside it. */
        EXCLUSIVE,
        /** One of any number of shared locks of {@code terraform plan}: never allows a write. */
        PLAN,
        /** An exclusive LOCK refused because of plan locks: new plan locks wait for it (not held). */
        WAITING,
        /** A change freeze shown as the holder (not a lock). */
        FREEZE,
        /** A protection rule's refusal shown as the holder (not a lock). */
        PROTECTION;

        /** Whether a client holds it (an exclusive or a plan lock), rather than being shown it. */
        public boolean held() {
            return this == EXCLUSIVE || this == PLAN;
        }
    }

    public LockRecord {
        java.util.Objects.requireNonNull(kind, "kind");
    }

    /** An exclusive lock. */
    public LockRecord(LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt, String credential) {
        this(info, principal, acquiredAt, lastActivityAt, credential, Kind.EXCLUSIVE);
    }

    /** An exclusive lock not bound to its credential. */
    public LockRecord(LockInfo info, String principal, Instant acquiredAt, Instant lastActivityAt) {
        this(info, principal, acquiredAt, lastActivityAt, null, Kind.EXCLUSIVE);
    }

    public String id() {
        return info.id();
    }

    /** Whether this is one of the shared plan locks. */
    public boolean plan() {
        return kind == Kind.PLAN;
    }

    /** Stale: nothing happened under it (LOCK or write with its ID) for {@code staleAfter} up to {@code now}. */
    public boolean staleAt(Instant now, java.time.Duration staleAfter) {
        return lastActivityAt.isBefore(now.minus(staleAfter));
    }
}
