package dev.statefort.core.lock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.StateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock holders this node saw in the last {@link #REMEMBERED}, so that a LOCK by someone else is
 * refused from memory: clients racing for a lock (or waiting under {@code -lock-timeout}) then cost
 * no read and never slow the holder down. Only refusals are answered here: a grant is always the
 * store's. Used only where every lock change goes through this node (the embedded SQLite store:
 * {@code LockStore#locksChangeOnlyHere}); an UNLOCK, force-unlock, expiry or state deletion here
 * forgets the holder at once. Where nodes share the store, another node's UNLOCK would go unseen and
 * a client could be refused a free lock, so every LOCK is asked of the store there.
 */
final class RecentHolders {
    static final Duration REMEMBERED = Duration.ofMillis(250);

    private final Cache<StateKey, LockRecord> holders = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBERED)
            .maximumSize(10_000)
            .build();

    /**
     * The holder to refuse {@code lockId} with: one seen lately that holds another ID and was active
     * after {@code activeAfter} (an idle one may have to be expired: the store decides that).
     */
    Optional<LockRecord> otherThan(StateKey key, String lockId, Instant activeAfter) {
        LockRecord holder = holders.getIfPresent(key);
        if (holder == null
                || holder.id().equals(lockId)
                || holder.lastActivityAt().isBefore(activeAfter)) {
            return Optional.empty();
        }
        return Optional.of(holder);
    }

    void held(StateKey key, LockRecord holder) {
        holders.put(key, holder);
    }

    void released(StateKey key) {
        holders.invalidate(key);
    }
}
