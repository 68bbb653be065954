package dev.statefort.core.audit;

/**
 * Filters for listing audit events, newest first. Null filters match everything.
 *
 * @param beforeId only events older than the event with this ID (keyset paging), or null
 */
public record AuditQuery(String project, String state, String action, int limit, String beforeId) {
    public AuditQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000");
        }
    }
}
