package dev.statefort.core.lock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.model.StateKey;
import java.time.Duration;

/**
 * Which LOCK refusals to audit: a client waiting for a lock ({@code -lock-timeout}) asks again and
 * again with the same lock ID; its refusal is recorded once per {@link #WINDOW} for the same state,
 * principal, lock ID and holder (per node), not once per attempt, so waiting clients do not flood the
 * audit log and the database writer. A refusal changes nothing; the first of each series is kept.
 */
final class RepeatedRefusals {
    static final Duration WINDOW = Duration.ofSeconds(10);

    private final Cache<String, Boolean> recorded =
            Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(10_000).build();

    /** Whether this refusal is the first of its series in the window (and is now remembered). */
    boolean first(StateKey key, String principal, String lockId, String holderId) {
        String series = key.project() + '\n' + key.name() + '\n' + principal + '\n' + lockId + '\n' + holderId;
        return recorded.asMap().putIfAbsent(series, Boolean.TRUE) == null;
    }
}
