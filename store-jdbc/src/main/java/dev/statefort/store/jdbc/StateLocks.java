package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;

import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reading a state's lock inside a write of {@link JdbcMetadataStore}. */
final class StateLocks {
    private StateLocks() {}

    /**
     * The lock columns of an existing state: {@code lock} is null when the state is unlocked, {@code
     * fenced} is the LockInfo of the last lock {@code expireLock} released (or null).
     */
    record StateLock(LockRecord lock, LockInfo fenced) {}

    /** The state's lock; empty when the state does not exist. */
    static Optional<StateLock> lockOf(Connection c, StateKey key) throws SQLException {
        try (PreparedStatement ps = prepare(
                        c,
                        "SELECT " + Rows.LOCK_COLUMNS + ", fenced_lock_id, fenced_lock_info, fenced_lock_operation"
                                + " FROM states WHERE project = ? AND name = ?",
                        key.project(),
                        key.name());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String fencedId = rs.getString("fenced_lock_id");
            LockInfo fenced = fencedId == null
                    ? null
                    : LockInfo.of(rs.getBytes("fenced_lock_info"), fencedId, rs.getString("fenced_lock_operation"));
            return Optional.of(new StateLock(Rows.lock(rs), fenced));
        }
    }

    /**
     * After a conditional write matched nothing: the holder of the lock, or {@link
     * ProjectNotFoundException} when the state could not be created, or a retry when the lock was
     * released (or the state deleted) in between (possible on PostgreSQL only).
     */
    static LockRecord holderOrFail(Connection c, StateKey key) throws SQLException {
        Optional<StateLock> state = lockOf(c, key);
        if (state.isPresent()) {
            if (state.get().lock() == null) {
                throw new Sql.Retry();
            }
            return state.get().lock();
        }
        try (PreparedStatement ps = prepare(c, "SELECT 1 FROM projects WHERE name = ?", key.project());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new ProjectNotFoundException(key.project());
            }
        }
        throw new Sql.Retry();
    }
}
