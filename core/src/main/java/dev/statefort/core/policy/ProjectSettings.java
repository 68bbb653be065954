package dev.statefort.core.policy;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.RetentionPolicy;
import java.time.Duration;

/**
 * Per-project policy, stored as a JSON document.
 *
 * @param keepVersions versions kept per state (newest first); older ones are pruned on write
 * @param keepDays versions newer than this many days are kept even beyond {@code keepVersions}; null = off
 * @param guard the destructive-write guard mode
 * @param guardRemovalPercent a write removing more than this share of the resources is flagged
 * @param lockStaleMinutes a lock idle this long is reported stale
 * @param lockAutoExpireMinutes a lock idle this long is released by the next LOCK of someone else
 *     or by its holder's next write, and its holder's later writes are refused (423); null = never
 *     (the default)
 * @param sharedPlanLocks whether a plan's LOCK takes a shared plan lock (null, the default: on);
 *     false makes every LOCK exclusive, as before shared plan locks
 * @param snapshotIntervalSeconds how often a TFE client (a {@code cloud} block) may save an
 *     intermediate state during a long apply, sent to it as {@code X-Terraform-Snapshot-Interval};
 *     0 = only the final state; null, the default: {@value #DEFAULT_SNAPSHOT_INTERVAL_SECONDS} s
 *     (Terraform's own default)
 */
public record ProjectSettings(
        int keepVersions,
        Integer keepDays,
        GuardMode guard,
        int guardRemovalPercent,
        int lockStaleMinutes,
        Integer lockAutoExpireMinutes,
        Boolean sharedPlanLocks,
        Integer snapshotIntervalSeconds) {

    public static final int DEFAULT_SNAPSHOT_INTERVAL_SECONDS = 20;

    public static final ProjectSettings DEFAULTS =
            new ProjectSettings(100, null, GuardMode.WARN, 50, 60, null, true, null);

    /** Settings stored before the snapshot interval existed: Terraform's default interval. */
    public ProjectSettings(
            int keepVersions,
            Integer keepDays,
            GuardMode guard,
            int guardRemovalPercent,
            int lockStaleMinutes,
            Integer lockAutoExpireMinutes,
            Boolean sharedPlanLocks) {
        this(
                keepVersions,
                keepDays,
                guard,
                guardRemovalPercent,
                lockStaleMinutes,
                lockAutoExpireMinutes,
                sharedPlanLocks,
                null);
    }

    /** The interval a TFE client is sent, in seconds (0: only the final state). */
    public int snapshotInterval() {
        return snapshotIntervalSeconds == null ? DEFAULT_SNAPSHOT_INTERVAL_SECONDS : snapshotIntervalSeconds;
    }

    /** Settings stored before shared plan locks existed: shared plan locks on. */
    public ProjectSettings(
            int keepVersions,
            Integer keepDays,
            GuardMode guard,
            int guardRemovalPercent,
            int lockStaleMinutes,
            Integer lockAutoExpireMinutes) {
        this(keepVersions, keepDays, guard, guardRemovalPercent, lockStaleMinutes, lockAutoExpireMinutes, true);
    }

    /** Whether a plan's LOCK takes a shared plan lock. */
    public boolean sharesPlanLocks() {
        return sharedPlanLocks == null || sharedPlanLocks;
    }

    public ProjectSettings {
        if (keepVersions < 1 || keepVersions > 100_000) {
            throw new InvalidInputException("keepVersions must be 1..100000");
        }
        if (keepDays != null && (keepDays < 1 || keepDays > 36_500)) {
            throw new InvalidInputException("keepDays must be 1..36500 or null");
        }
        if (guard == null) {
            throw new InvalidInputException("guard must be off, warn or enforce");
        }
        if (guardRemovalPercent < 1 || guardRemovalPercent > 100) {
            throw new InvalidInputException("guardRemovalPercent must be 1..100");
        }
        if (lockStaleMinutes < 1) {
            throw new InvalidInputException("lockStaleMinutes must be at least 1");
        }
        if (lockAutoExpireMinutes != null && lockAutoExpireMinutes < 1) {
            throw new InvalidInputException("lockAutoExpireMinutes must be at least 1 or null");
        }
        if (snapshotIntervalSeconds != null && (snapshotIntervalSeconds < 0 || snapshotIntervalSeconds > 3600)) {
            throw new InvalidInputException(
                    "snapshotIntervalSeconds must be 0..3600 or null (0: only the final state)");
        }
    }

    public RetentionPolicy retention() {
        return new RetentionPolicy(keepVersions, keepDays == null ? null : Duration.ofDays(keepDays));
    }
}
