package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.spi.AuthFailureCount;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

/** The authentication-failure counts of {@link JdbcAccessStore}: one upsert per failure, shared by every node. */
final class JdbcAuthFailures {
    /**
     * A new or expired count starts at 1 with a fresh window; a live one goes up by one and gets a
     * fresh window only while it is at most the renewal bound.
     */
    private static final String COUNT = "INSERT INTO auth_failures (failure_key, failures, expires_at) VALUES (?, 1, ?)"
            + " ON CONFLICT (failure_key) DO UPDATE SET"
            + " failures = CASE WHEN auth_failures.expires_at <= ? THEN 1 ELSE auth_failures.failures + 1 END,"
            + " expires_at = CASE WHEN auth_failures.expires_at <= ? OR auth_failures.failures + 1 <= ?"
            + " THEN ? ELSE auth_failures.expires_at END"
            + " RETURNING failures, expires_at";

    private final Sql sql;

    JdbcAuthFailures(Sql sql) {
        this.sql = sql;
    }

    AuthFailureCount count(String key, Instant now, Duration window, int renewUpTo) {
        long nowMillis = now.toEpochMilli();
        long until = now.plus(window).toEpochMilli();
        return sql.write("count an authentication failure", c -> {
            update(c, "DELETE FROM auth_failures WHERE expires_at <= ?", nowMillis); // ended windows
            try (BoundStatement ps = prepare(c, COUNT, key, until, nowMillis, nowMillis, renewUpTo, until);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AuthFailureCount(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)));
            }
        });
    }

    void forgive(String key) {
        sql.write(
                "forgive an authentication failure",
                c -> update(
                        c,
                        "UPDATE auth_failures SET failures = failures - 1 WHERE failure_key = ? AND failures > 0",
                        key));
    }
}
