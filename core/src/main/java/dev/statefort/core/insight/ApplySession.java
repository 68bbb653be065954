package dev.statefort.core.insight;

import java.time.Instant;
import java.util.List;

/**
 * The versions written under one lock ID, in a row: one apply (or destroy, or state push).
 *
 * @param versions version numbers, oldest first; all but the last are intermediate snapshots
 * @param active whether the lock is still held under this ID
 */
public record ApplySession(
        String lockId,
        String operation,
        String principal,
        Instant startedAt,
        Instant endedAt,
        List<Long> versions,
        boolean active) {}
