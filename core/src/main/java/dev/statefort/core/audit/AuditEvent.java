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
        String id, Instant at, String principal, String action, String project, String state, String detail) {}
