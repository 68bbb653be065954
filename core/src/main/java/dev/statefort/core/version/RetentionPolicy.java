package dev.statefort.core.version;

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
}
