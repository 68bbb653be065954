package dev.statefort.core.model;

import java.time.Duration;

/**
 * Which old versions a commit prunes: everything beyond the newest {@code keepVersions}, except
 * versions newer than {@code keepNewerThan} (null = no age protection). The current version is
 * never pruned.
 */
public record RetentionPolicy(int keepVersions, Duration keepNewerThan) {
    /** Prunes nothing. */
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(Integer.MAX_VALUE, null);

    public RetentionPolicy {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions must be at least 1");
        }
    }

    /**
     * For stores: a commit at {@code createdAt} may prune (beyond the newest {@code keepVersions})
     * only versions created strictly before this epoch-millisecond time; {@link Long#MAX_VALUE} when
     * age does not protect, {@link Long#MIN_VALUE} when {@code keepNewerThan} reaches before any time.
     */
    public long prunableBeforeMillis(java.time.Instant createdAt) {
        long now = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toEpochMilli();
        if (keepNewerThan == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.subtractExact(now, keepNewerThan.toMillis());
        } catch (ArithmeticException e) {
            return keepNewerThan.isNegative() ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }
}
