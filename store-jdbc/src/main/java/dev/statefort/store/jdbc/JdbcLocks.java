package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link JdbcMetadataStore}'s locks: take, release and expire one with a single conditional UPDATE
 * on the state row; a refused LOCK or UNLOCK is answered from a read, with no write transaction.
 */
final class JdbcLocks {
    /** Takes a free lock, or (same ID) only moves its last activity; RETURNING the lock as stored. */
    private static final String TRY_LOCK = "UPDATE states SET"
            + " lock_info = CASE WHEN lock_id IS NULL THEN ? ELSE lock_info END,"
            + " lock_operation = CASE WHEN lock_id IS NULL THEN ? ELSE lock_operation END,"
            + " lock_principal = CASE WHEN lock_id IS NULL THEN ? ELSE lock_principal END,"
            + " lock_acquired_at = CASE WHEN lock_id IS NULL THEN ? ELSE lock_acquired_at END,"
            + " lock_credential = CASE WHEN lock_id IS NULL THEN ? ELSE lock_credential END,"
            + " lock_last_activity = ?, lock_id = ?"
            + " WHERE project = ? AND name = ? AND (lock_id IS NULL OR lock_id = ?)"
            + " RETURNING " + Rows.LOCK_COLUMNS;

    private static final String RELEASE_LOCK = "UPDATE states SET lock_id = NULL, lock_info = NULL,"
            + " lock_operation = NULL, lock_principal = NULL, lock_acquired_at = NULL, lock_last_activity = NULL,"
            + " lock_credential = NULL WHERE project = ? AND name = ? AND lock_id = ?";

    /** Releases an idle lock held under an ID and remembers it as the fenced lock: one conditional UPDATE. */
    private static final String EXPIRE_LOCK = "UPDATE states SET fenced_lock_id = lock_id,"
            + " fenced_lock_info = lock_info, fenced_lock_operation = lock_operation,"
            + " lock_id = NULL, lock_info = NULL, lock_operation = NULL, lock_principal = NULL,"
            + " lock_acquired_at = NULL, lock_last_activity = NULL, lock_credential = NULL"
            + " WHERE project = ? AND name = ? AND lock_id = ? AND lock_last_activity < ?";

    private final Sql sql;
    private final JdbcHistory history;

    JdbcLocks(Sql sql, JdbcHistory history) {
        this.sql = sql;
        this.history = history;
    }

    LockResult tryLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        var info = request.info();
        // A lock held by another ID is refused from a read: a refused LOCK (Terraform retries them
        // while waiting with -lock-timeout) costs no write transaction and never delays the holder.
        Optional<LockRecord> held = findLock(key);
        if (held.isPresent() && !held.get().id().equals(info.id())) {
            return new LockResult.HeldBy(held.get());
        }
        return sql.write("lock a state", c -> {
            JdbcCommits.ensureState(c, key, now);
            try (BoundStatement ps = prepare(
                            c,
                            TRY_LOCK,
                            info.json(),
                            info.operation(),
                            request.principal(),
                            now,
                            request.credential(),
                            now,
                            info.id(),
                            key.project(),
                            key.name(),
                            info.id());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    LockResult.Acquired acquired = new LockResult.Acquired(Rows.lock(rs));
                    if (request.audit() != null) {
                        history.insertAudit(c, request.audit());
                    }
                    return acquired;
                }
            }
            return new LockResult.HeldBy(holderOrFail(c, key));
        });
    }

    UnlockResult unlock(StateKey key, String lockId, AuditEvent released) {
        // Nothing held, or held by another ID: answered from a read, no write transaction.
        Optional<LockRecord> current = findLock(key);
        if (current.isEmpty()) {
            return new UnlockResult.NotLocked();
        }
        if (lockId != null && !lockId.equals(current.get().id())) {
            return new UnlockResult.HeldBy(current.get());
        }
        // A client's UNLOCK needs no fsync of its own: lost in a power failure, it leaves the lock held
        // as if the UNLOCK had never arrived (the next run is told who holds it, and force-unlock
        // clears it, as after a client killed mid-apply). A forced release (no ID) is durable.
        Sql.Work<UnlockResult> release = c -> {
            LockRecord held = lockOf(c, key).map(StateLock::lock).orElse(null);
            if (held == null) {
                return new UnlockResult.NotLocked();
            }
            if (lockId != null && !lockId.equals(held.id())) {
                return new UnlockResult.HeldBy(held);
            }
            // Compare-and-set on the ID just read: a concurrent change makes this a retry.
            if (update(c, RELEASE_LOCK, key.project(), key.name(), held.id()) == 0) {
                throw new Sql.Retry();
            }
            if (released != null) {
                history.insertAudit(c, released.forReleasedLock(held.id()));
            }
            return new UnlockResult.Released(held);
        };
        return lockId != null ? sql.writeRelaxed("unlock a state", release) : sql.write("unlock a state", release);
    }

    Optional<LockRecord> findLock(StateKey key) {
        return sql.read("find a lock", c -> {
            return lockOf(c, key).map(StateLock::lock);
        });
    }

    boolean expireLock(StateKey key, String lockId, Instant idleBefore) {
        Objects.requireNonNull(lockId, "lockId");
        Instant before = millis(idleBefore);
        return sql.write("expire a lock", c -> update(c, EXPIRE_LOCK, key.project(), key.name(), lockId, before) == 1);
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- reading a lock inside a write (the commits and the catalog use them too) ----

    /**
     * The lock columns of an existing state: {@code lock} is null when the state is unlocked, {@code
     * fenced} is the LockInfo of the last lock {@code expireLock} released (or null).
     */
    record StateLock(LockRecord lock, LockInfo fenced) {}

    /** The state's lock; empty when the state does not exist. */
    static Optional<StateLock> lockOf(Connection c, StateKey key) throws SQLException {
        try (BoundStatement ps = prepare(
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
        try (BoundStatement ps = prepare(c, "SELECT 1 FROM projects WHERE name = ?", key.project());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new ProjectNotFoundException(key.project());
            }
        }
        throw new Sql.Retry();
    }
}
