package dev.statefort.core.policy;

import java.time.Instant;

/**
 * Per-state settings, stored as a JSON document.
 *
 * @param destructivePermitUntil destructive writes are allowed on this state until then; null = none
 * @param destructivePermitBy who granted the permit
 * @param outputsAllowed for outputs-only principals: the outputs they may read (null = every
 *     non-sensitive output)
 * @param sensitiveOutputsAllowed sensitive outputs explicitly shared with outputs-only principals
 */
public record StateSettings(
        Instant destructivePermitUntil,
        String destructivePermitBy,
        java.util.List<String> outputsAllowed,
        java.util.List<String> sensitiveOutputsAllowed) {
    public static final StateSettings NONE = new StateSettings(null, null, null, null);

    public StateSettings(Instant destructivePermitUntil, String destructivePermitBy) {
        this(destructivePermitUntil, destructivePermitBy, null, null);
    }

    /** The same settings with another outputs-only allowlist. */
    public StateSettings withOutputsAccess(java.util.List<String> allowed, java.util.List<String> sensitiveAllowed) {
        return new StateSettings(destructivePermitUntil, destructivePermitBy, allowed, sensitiveAllowed);
    }

    /** The same settings with another destructive-write permit. */
    public StateSettings withPermit(Instant until, String by) {
        return new StateSettings(until, by, outputsAllowed, sensitiveOutputsAllowed);
    }

    public boolean permitsDestructiveWritesAt(Instant now) {
        return destructivePermitUntil != null && now.isBefore(destructivePermitUntil);
    }
}
