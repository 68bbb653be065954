package dev.statefort.core.model;

import java.time.Instant;

/**
 * Filters for listing audit events, newest first. Null filters match everything.
 *
 * @param principal only events of this principal
 * @param from only events at or after this time
 * @param to only events before this time
 * @param beforeId only events older than the event with this ID (keyset paging), or null
 */
public record AuditQuery(
        String project,
        String state,
        String principal,
        String action,
        Instant from,
        Instant to,
        int limit,
        String beforeId) {
    public AuditQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000");
        }
    }

    /** Filtered by project, state and action only. */
    public AuditQuery(String project, String state, String action, int limit, String beforeId) {
        this(project, state, null, action, null, null, limit, beforeId);
    }

    /** Whether {@code e} passes every filter except the paging. */
    public boolean matches(AuditEvent e) {
        return (project == null || project.equals(e.project()))
                && (state == null || state.equals(e.state()))
                && (principal == null || principal.equals(e.principal()))
                && (action == null || action.equals(e.action()))
                && (from == null || !e.at().isBefore(from))
                && (to == null || e.at().isBefore(to));
    }
}
