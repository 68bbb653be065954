package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.SessionRecord;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The session part of {@link JdbcAccessStore}. Never puts a session hash or CSRF token into a message. */
final class JdbcSessions {
    private static final String COLUMNS = "id_hash, user_name, csrf_token, created_at, last_seen_at";

    /** Inserts the session if its user exists and its ID hash is free: no row otherwise. */
    private static final String INSERT = "INSERT INTO sessions (" + COLUMNS + ")"
            + " SELECT ?, name, ?, ?, ? FROM users WHERE name = ?"
            + " ON CONFLICT (id_hash) DO NOTHING";

    private final Sql sql;

    JdbcSessions(Sql sql) {
        this.sql = sql;
    }

    void create(SessionRecord s) {
        sql.write("create a session", c -> {
            int inserted = update(
                    c,
                    INSERT,
                    s.idHash(),
                    s.csrfToken(),
                    JdbcAccessStore.millis(s.createdAt()),
                    JdbcAccessStore.millis(s.lastSeenAt()),
                    s.user());
            if (inserted == 0) {
                try (BoundStatement ps = prepare(c, "SELECT 1 FROM users WHERE name = ?", s.user());
                        ResultSet rs = ps.executeQuery()) {
                    throw new IllegalArgumentException(
                            rs.next() ? "a session with this ID already exists" : "no such user");
                }
            }
            return null;
        });
    }

    Optional<SessionRecord> find(String idHash) {
        return sql.read("find a session", c -> {
            try (BoundStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM sessions WHERE id_hash = ?", idHash);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionRecord(
                        rs.getString("id_hash"),
                        rs.getString("user_name"),
                        rs.getString("csrf_token"),
                        getInstant(rs, "created_at"),
                        getInstant(rs, "last_seen_at")));
            }
        });
    }

    boolean touch(String idHash, Instant now) {
        return sql.write(
                "touch a session",
                c -> update(c, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, idHash) == 1);
    }

    boolean delete(String idHash) {
        return sql.write("delete a session", c -> update(c, "DELETE FROM sessions WHERE id_hash = ?", idHash) == 1);
    }

    int deleteOf(String user) {
        return sql.write(
                "delete the sessions of a user", c -> update(c, "DELETE FROM sessions WHERE user_name = ?", user));
    }

    /** The bounds rounded up: a stored millisecond time is below them exactly when it is before them. */
    int deleteExpired(Instant idleBefore, Instant createdBefore) {
        return sql.write(
                "delete expired sessions",
                c -> update(
                        c,
                        "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                        Sql.ceilMillis(idleBefore),
                        Sql.ceilMillis(createdBefore)));
    }
}
