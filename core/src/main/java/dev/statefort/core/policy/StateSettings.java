package dev.statefort.core.policy;

import java.time.Instant;

/**
 * Per-state settings, stored as a JSON document.
 *
 * @param destructivePermitUntil destructive writes are allowed on this state until then; null = none
 * @param destructivePermitBy who granted the permit
 */
public record StateSettings(Instant destructivePermitUntil, String destructivePermitBy) {
    public static final StateSettings NONE = new StateSettings(null, null);

    public boolean permitsDestructiveWritesAt(Instant now) {
        return destructivePermitUntil != null && now.isBefore(destructivePermitUntil);
    }
}
