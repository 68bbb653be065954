package dev.statefort.core.audit;

import java.time.Instant;

/**
 * One audited action.
 *
 * @param id unique, assigned by the store; ordering is by ({@code at}, {@code id})
 * @param action e.g. {@code state.restore}, {@code lock.force-unlock}, {@code version.delete}
 * @param project null for global actions
 * @param state null unless the action concerns one state
 * @param detail a small JSON object with action-specific fields; never state content or secrets
 */
public record AuditEvent(
        String id, Instant at, String principal, String action, String project, String state, String detail) {

    /**
     * For stores: a new unique ID for an event at {@code at}: its epoch milliseconds zero-padded to
     * 16 digits, '-', a random UUID. Comparing IDs as strings (byte order) therefore orders events by
     * ({@code at}, ID). Times before 1970 are rejected (IllegalArgumentException).
     */
    public static String newId(Instant at) {
        long millis = at.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("audit times before 1970 are not supported");
        }
        return String.format(java.util.Locale.ROOT, "%016d-%s", millis, java.util.UUID.randomUUID());
    }
}
