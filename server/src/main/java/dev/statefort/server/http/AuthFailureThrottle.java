package dev.statefort.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing: every failed authentication from a source address waits a little longer
 * than the one before (100 ms, doubling, at most 2 s), and after {@code limit} failures within
 * {@code window} the source gets 429 with Retry-After until the window has passed without failures.
 * A success does not wipe the count (else one valid credential would let its holder guess others
 * at full speed). Other sources are unaffected. Per node and in memory (bounded), which is enough to make online
 * guessing of 256-bit secrets and good passwords hopeless.
 */
final class AuthFailureThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFailureThrottle.class);
    private static final long BASE_DELAY_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 2_000;

    private final int limit;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    /** @param limit failures before 429; 0 turns the throttle off */
    AuthFailureThrottle(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
        this.failures = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(100_000)
                .build();
    }

    /** Throws {@link TooManyFailuresException} when {@code source} failed too often lately. */
    void check(String source) {
        if (limit <= 0) {
            return;
        }
        AtomicInteger count = failures.getIfPresent(source);
        if (count != null && count.get() >= limit) {
            throw new TooManyFailuresException((int) window.toSeconds());
        }
    }

    /** Counts a failure of {@code source} and waits the growing delay before the caller answers. */
    void failed(String source) {
        if (limit <= 0) {
            return;
        }
        AtomicInteger count = failures.get(source, s -> new AtomicInteger());
        int n = count.incrementAndGet();
        failures.put(source, count); // renews the window
        if (n == limit) {
            LOG.warn(
                    "{} failed authentications from {} within {} min: answering 429 until it stops",
                    n,
                    source,
                    window.toMinutes());
        }
        long delay = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(n - 1, 20));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
