package dev.statefort.core.model;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;

/**
 * One audited action.
 *
 * @param id unique, assigned by the store; ordering is by ({@code at}, {@code id})
 * @param principal who did it, e.g. {@code token:ab12cd34ef56}, {@code user:alice}, {@code alias:x}
 * @param sourceIp the client address the request came from, or null (CLI, background work)
 * @param action e.g. {@code state.restore}, {@code lock.force-unlock}, {@code version.delete}
 * @param outcome {@code ok}, or why it did not happen: {@code refused} (a rule said no, e.g. a lock
 *     held by someone else), {@code denied} (no permission, bad credentials)
 * @param project null for global actions
 * @param state null unless the action concerns one state
 * @param version the state version concerned, or null
 * @param detail a small JSON object with action-specific fields; never state content or secrets
 */
public record AuditEvent(
        String id,
        Instant at,
        String principal,
        String sourceIp,
        String action,
        String outcome,
        String project,
        String state,
        Long version,
        String detail) {

    public static final String OK = "ok";
    public static final String REFUSED = "refused";
    public static final String DENIED = "denied";

    /** A successful action without source address or version. */
    public AuditEvent(
            String id, Instant at, String principal, String action, String project, String state, String detail) {
        this(id, at, principal, null, action, OK, project, state, null, detail);
    }

    /** This event about version {@code number}. */
    public AuditEvent withVersion(long number) {
        return new AuditEvent(id, at, principal, sourceIp, action, outcome, project, state, number, detail);
    }

    /**
     * The event of an unlock (made before the store knows which lock it releases: a force-unlock
     * names none) for the lock {@code lockId} the store released: {@code "lockId"} comes first in its
     * detail, before what the event already says. A store appends it in the transaction that releases
     * the lock.
     */
    public AuditEvent forReleasedLock(String lockId) {
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(lockId));
        return new AuditEvent(
                id,
                at,
                principal,
                sourceIp,
                action,
                outcome,
                project,
                state,
                version,
                detail == null || !detail.startsWith("{") || detail.strip().equals("{}")
                        ? "{\"lockId\":\"" + quoted + "\"}"
                        : "{\"lockId\":\"" + quoted + "\"," + detail.substring(1));
    }

    /** This event with the ID and time a store assigned. */
    public AuditEvent stored(String newId, Instant newAt) {
        return new AuditEvent(newId, newAt, principal, sourceIp, action, outcome, project, state, version, detail);
    }

    /**
     * For stores: a new unique ID for an event at {@code at}: its epoch milliseconds zero-padded to
     * 16 digits, '-', a sequence number of this process (12 digits), '-', 64 random bits in hex.
     * Comparing IDs as strings (byte order) therefore orders events by ({@code at}, ID), and events
     * this process records within one millisecond keep the order they were recorded in. Times
     * before 1970 are rejected (IllegalArgumentException).
     */
    public static String newId(Instant at) {
        long millis = at.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("audit times before 1970 are not supported");
        }
        return String.format(
                java.util.Locale.ROOT,
                "%016d-%012d-%016x",
                millis,
                SEQUENCE.incrementAndGet() % 1_000_000_000_000L,
                RANDOM.nextLong());
    }

    /**
     * For stores: an ID that sorts right after {@code previous} (an ID made by {@link #newId}): the
     * same milliseconds, the next sequence number, new random bits. Used when a node whose clock is
     * behind appends to a state whose last event another node made, so a state's events stay in
     * the order they were appended.
     */
    public static String idAfter(String previous) {
        String[] parts = previous.split("-", 3);
        return String.format(
                java.util.Locale.ROOT,
                "%s-%012d-%016x",
                parts[0],
                (Long.parseLong(parts[1]) + 1) % 1_000_000_000_000L,
                RANDOM.nextLong());
    }

    /** The time (epoch milliseconds) an ID made by {@link #newId} or {@link #idAfter} carries. */
    public static Instant timeOf(String id) {
        return Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))));
    }

    /**
     * For stores: the ID and time of an event appended after {@code lastOfItsState} (the newest event
     * of the same state, or null): {@link #newId} normally; when that would not sort after the last
     * one (this node's clock is behind the node that wrote it), {@link #idAfter} it, at its time.
     */
    public AuditEvent storedAfter(String lastOfItsState) {
        Instant time = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String id = newId(time);
        if (lastOfItsState != null && id.compareTo(lastOfItsState) <= 0) {
            id = idAfter(lastOfItsState);
            time = timeOf(id);
        }
        return stored(id, time);
    }

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
