package dev.statefort.core.auth;

import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.spi.AccessStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * UI login sessions kept on the server (in the database, so any node serves them). The cookie holds
 * a 256-bit random value; the store keeps only its SHA-256. A session ends after {@code idleTimeout}
 * without a request, after {@code maxAge} in any case, at logout, and when the user's password changes.
 */
public final class SessionService {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(12);
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(30);

    private final AccessStore access;
    private final UserService users;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;

    public SessionService(AccessStore access, UserService users, Clock clock, Duration idleTimeout, Duration maxAge) {
        this.access = access;
        this.users = users;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
    }

    /** A new session: the cookie value (shown to the browser only) and the stored record. */
    public record IssuedSession(String cookieValue, SessionRecord session) {
        @Override
        public String toString() {
            return "IssuedSession[" + session.user() + "]";
        }
    }

    /** A live session and the user it belongs to. */
    public record ActiveSession(SessionRecord session, UserRecord user) {}

    /** Logs in: a new session when the password is the user's, else empty. */
    public Optional<IssuedSession> login(String username, String password) {
        return users.verify(username, password).map(user -> {
            Instant now = clock.instant();
            String cookie = Secrets.randomHex(32);
            SessionRecord session =
                    new SessionRecord(Secrets.sha256Hex(cookie), user.name(), Secrets.randomHex(32), now, now);
            access.createSession(session);
            return new IssuedSession(cookie, session);
        });
    }

    /** The live session for a cookie value, or empty (unknown, idle too long, too old, or user gone). */
    public Optional<ActiveSession> resolve(String cookieValue) {
        if (cookieValue == null || !cookieValue.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        String idHash = Secrets.sha256Hex(cookieValue);
        Optional<SessionRecord> found = access.findSession(idHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord s = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(s.lastSeenAt().plus(idleTimeout))
                || !now.isBefore(s.createdAt().plus(maxAge))) {
            access.deleteSession(idHash);
            return Optional.empty();
        }
        Optional<UserRecord> user = users.find(s.user());
        if (user.isEmpty()) {
            access.deleteSession(idHash);
            return Optional.empty();
        }
        if (s.lastSeenAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            access.touchSession(idHash, now);
        }
        return Optional.of(new ActiveSession(s, user.get()));
    }

    /** Ends the session of this cookie value; false if there was none. */
    public boolean logout(String cookieValue) {
        return cookieValue != null && access.deleteSession(Secrets.sha256Hex(cookieValue));
    }

    /** Removes expired sessions; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return access.deleteExpiredSessions(now.minus(idleTimeout), now.minus(maxAge));
    }

    public Duration maxAge() {
        return maxAge;
    }
}
