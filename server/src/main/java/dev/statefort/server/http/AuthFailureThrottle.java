package dev.statefort.server.http;

import dev.statefort.core.auth.PasswordAttempt;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.AuthFailureCount;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing. Each failed authentication from a source (an IPv4 address, or an IPv6 /64:
 * one host usually has the whole /64) waits a little longer than the one before (100 ms, doubling,
 * at most 2 s); after {@code limit} failures within {@code window} it gets 429 with Retry-After
 * until the window has passed without failures.
 *
 * <p>Passwords are what can be guessed: a password attempt is counted <em>before</em> the (slow)
 * check, against its source and against the user name, so parallel guesses cannot all pass the
 * check together, and a user name under attack from many addresses is protected too; a correct
 * password gives its reservation back. Tokens and alias passwords are 256-bit random secrets that
 * nobody can guess: a valid one is never answered 429 (CI runners behind one NAT share an address
 * with whoever fails there); only failing ones are counted, slowed and, over the limit, refused
 * with 429. The counts are kept in the database ({@link AccessStore#countAuthFailure}), so with
 * several nodes a guesser gets {@code limit} tries in all, not per node. Once the database says a
 * key is over the limit, this node remembers it until its window ends ({@link FailureBlockList}):
 * further requests from it are answered 429 from memory, without a database write, so a flood of
 * bad credentials does not queue up behind the database's writer.
 */
public final class AuthFailureThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFailureThrottle.class);
    private static final long BASE_DELAY_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 2_000;
    private static final int MAX_USER_KEY_LENGTH = 128;
    /** Keys this node remembers as blocked (a few MiB at most); the oldest are forgotten first. */
    static final int BLOCK_LIST_CAPACITY = 65_536;

    private final int limit;
    private final Duration window;
    private final AccessStore failures;
    private final Clock clock;
    private final Listener listener;
    private final FailureBlockList blocked = new FailureBlockList(BLOCK_LIST_CAPACITY);

    /** Told of each counted failure and each refusal (the node's metrics). */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void failed() {}

            @Override
            public void throttled() {}
        };

        void failed();

        void throttled();
    }

    /**
     * @param limit failures before 429; 0 turns the throttle off
     * @param failures where the counts are kept (the database every node shares)
     */
    public AuthFailureThrottle(int limit, Duration window, AccessStore failures, Clock clock) {
        this(limit, window, failures, clock, Listener.NONE);
    }

    public AuthFailureThrottle(int limit, Duration window, AccessStore failures, Clock clock, Listener listener) {
        this.limit = limit;
        this.window = window;
        this.failures = failures;
        this.clock = clock;
        this.listener = listener;
    }

    private void giveBack(List<String> keys) {
        keys.forEach(failures::forgiveAuthFailure);
    }

    /**
     * Counts a password attempt of {@code user} from {@code source} before the password is checked;
     * {@link TooManyFailuresException} (429) when the source or the user name is over the limit.
     */
    PasswordAttempt beginPasswordAttempt(String source, String user) {
        if (limit <= 0) {
            return NO_THROTTLE;
        }
        List<String> keys = List.of(sourceKey(source), userKey(user));
        refuseIfBlocked(keys);
        int worst = 0;
        for (String key : keys) {
            worst = Math.max(worst, increment(key));
        }
        if (worst > limit) {
            // refused unchecked: not a guess, so it neither counts nor keeps the window open
            giveBack(keys);
            throw refused();
        }
        int count = worst;
        return new PasswordAttempt() {
            @Override
            public void succeeded() {
                giveBack(keys);
            }

            @Override
            public void notChecked() {
                giveBack(keys);
            }

            @Override
            public void failed() {
                listener.failed();
                warnAtLimit(count, source);
                pause(count);
            }
        };
    }

    /**
     * Counts a failed token, alias password or certificate from {@code source}: waits the growing
     * delay, or throws {@link TooManyFailuresException} once the source is over the limit.
     */
    void secretFailed(String source) {
        if (limit <= 0) {
            return;
        }
        String key = sourceKey(source);
        refuseIfBlocked(List.of(key));
        int n = increment(key);
        warnAtLimit(n, source);
        if (n > limit) {
            throw refused();
        }
        listener.failed();
        pause(n);
    }

    /** The source's key: an IPv4 address as it is, an IPv6 address by its /64 prefix. */
    static String sourceKey(String source) {
        try {
            byte[] address = InetAddress.getByName(source).getAddress();
            if (address.length == 16) {
                return "ip6:" + HexFormat.of().formatHex(address, 0, 8) + "::/64";
            }
        } catch (UnknownHostException | RuntimeException e) {
            // not a literal address: use it as it is
        }
        return "ip:" + source;
    }

    private static String userKey(String user) {
        String name = user == null ? "" : user.toLowerCase(Locale.ROOT);
        return "user:" + (name.length() > MAX_USER_KEY_LENGTH ? name.substring(0, MAX_USER_KEY_LENGTH) : name);
    }

    /**
     * A counted failure renews the window; a refused attempt (over the limit) does not, and blocks
     * its key on this node until the window ends.
     */
    private int increment(String key) {
        AuthFailureCount count = failures.countAuthFailure(key, clock.instant(), window, limit);
        if (count.failures() > limit) {
            blocked.block(key, count.windowEnd());
        }
        return count.failures();
    }

    /** 429 from memory, no database write, when one of {@code keys} is blocked on this node. */
    private void refuseIfBlocked(List<String> keys) {
        Instant now = clock.instant();
        for (String key : keys) {
            if (blocked.isBlocked(key, now)) {
                throw refused();
            }
        }
    }

    private TooManyFailuresException refused() {
        listener.throttled();
        return new TooManyFailuresException((int) window.toSeconds());
    }

    private void warnAtLimit(int n, String source) {
        if (n == limit) {
            LOG.warn(
                    "{} failed authentications from {} (or for one user name) within {} min: answering 429"
                            + " until it stops",
                    n,
                    source,
                    window.toMinutes());
        }
    }

    private static void pause(int n) {
        long delay = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(Math.max(n, 1) - 1, 20));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final PasswordAttempt NO_THROTTLE = new PasswordAttempt() {
        @Override
        public void succeeded() {}

        @Override
        public void failed() {}

        @Override
        public void notChecked() {}
    };
}
