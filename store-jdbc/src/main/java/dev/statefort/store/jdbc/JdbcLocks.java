package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.spi.LockStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link JdbcMetadataStore}'s locks: the exclusive lock on the state row, the shared plan locks in
 * {@code plan_locks} (counted on the state row, so that both kinds serialize on that row), and the
 * freezes. Take, release and expire with conditional UPDATEs; a refused LOCK or UNLOCK is answered
 * from a read, with no write transaction, except an exclusive LOCK refused because of plan locks,
 * which leaves its waiting marker.
 */
final class JdbcLocks {
    /** The freeze condition on a state row ({@code states} in scope); one parameter: now. */
    static final String NOT_FROZEN = "NOT EXISTS (SELECT 1 FROM freezes f WHERE f.project = states.project"
            + " AND (f.state = states.name OR f.state = '') AND (f.until_at IS NULL OR f.until_at > ?))";

    /**
     * Takes a free lock (no plan lock held, no freeze), or (same ID) only moves its last activity;
     * RETURNING the lock as stored. Granting clears the waiting marker.
     */
    private static final String TRY_LOCK = "UPDATE states SET"
            + " lock_info = CASE WHEN lock_id IS NULL THEN ? ELSE lock_info END,"
            + " lock_operation = CASE WHEN lock_id IS NULL THEN ? ELSE lock_operation END,"
            + " lock_principal = CASE WHEN lock_id IS NULL THEN ? ELSE lock_principal END,"
            + " lock_acquired_at = CASE WHEN lock_id IS NULL THEN ? ELSE lock_acquired_at END,"
            + " lock_credential = CASE WHEN lock_id IS NULL THEN ? ELSE lock_credential END,"
            + " lock_last_activity = ?, lock_id = ?,"
            + " waiting_lock_id = NULL, waiting_lock_info = NULL, waiting_since = NULL"
            + " WHERE project = ? AND name = ? AND (lock_id = ? OR (lock_id IS NULL AND plan_locks = 0 AND "
            + NOT_FROZEN + "))"
            + " RETURNING " + Rows.LOCK_COLUMNS;

    /** An exclusive LOCK refused because of plan locks: new plan locks wait for it. */
    private static final String MARK_WAITING = "UPDATE states SET waiting_lock_id = ?, waiting_lock_info = ?,"
            + " waiting_since = ? WHERE project = ? AND name = ? AND lock_id IS NULL AND plan_locks > 0";

    /** One more plan lock, unless the exclusive lock is held or an exclusive LOCK waits. */
    private static final String COUNT_PLAN_LOCK = "UPDATE states SET plan_locks = plan_locks + 1"
            + " WHERE project = ? AND name = ? AND lock_id IS NULL AND (waiting_since IS NULL OR waiting_since < ?)";

    private static final String PLAN_COLUMNS =
            "lock_id, lock_info, operation, principal, acquired_at, last_activity, credential";

    private static final String INSERT_PLAN_LOCK = "INSERT INTO plan_locks (project, state, " + PLAN_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project, state, lock_id) DO NOTHING";

    private static final String TOUCH_PLAN_LOCK = "UPDATE plan_locks SET last_activity = ?"
            + " WHERE project = ? AND state = ? AND lock_id = ? RETURNING " + PLAN_COLUMNS;

    private static final String RELEASE_LOCK = "UPDATE states SET lock_id = NULL, lock_info = NULL,"
            + " lock_operation = NULL, lock_principal = NULL, lock_acquired_at = NULL, lock_last_activity = NULL,"
            + " lock_credential = NULL WHERE project = ? AND name = ? AND lock_id = ?";

    private static final String UNCOUNT_PLAN_LOCKS =
            "UPDATE states SET plan_locks = plan_locks - ? WHERE project = ? AND name = ?";

    /** Releases an idle lock held under an ID and remembers it as the fenced lock: one conditional UPDATE. */
    private static final String EXPIRE_LOCK = "UPDATE states SET fenced_lock_id = lock_id,"
            + " fenced_lock_info = lock_info, fenced_lock_operation = lock_operation,"
            + " lock_id = NULL, lock_info = NULL, lock_operation = NULL, lock_principal = NULL,"
            + " lock_acquired_at = NULL, lock_last_activity = NULL, lock_credential = NULL"
            + " WHERE project = ? AND name = ? AND lock_id = ? AND lock_last_activity < ?";

    private static final String FREEZE_COLUMNS = "project, state, reason, frozen_by, frozen_at, until_at";

    private final Sql sql;
    private final JdbcHistory history;

    JdbcLocks(Sql sql, JdbcHistory history) {
        this.sql = sql;
        this.history = history;
    }

    LockResult tryLock(StateKey key, LockRequest request) {
        return request.plan() ? tryPlanLock(key, request) : tryExclusiveLock(key, request);
    }

    private LockResult tryExclusiveLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        var info = request.info();
        // A lock held by another ID is refused from a read: a refused LOCK (Terraform retries them
        // while waiting with -lock-timeout) costs no write transaction and never delays the holder.
        Optional<StateLock> seen = sql.read("find a lock", c -> lockOf(c, key));
        if (seen.isPresent()
                && seen.get().lock() != null
                && !seen.get().lock().id().equals(info.id())) {
            return new LockResult.HeldBy(seen.get().lock());
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
                            info.id(),
                            now);
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    LockResult.Acquired acquired = new LockResult.Acquired(Rows.lock(rs));
                    if (request.audit() != null) {
                        history.insertAudit(c, request.audit());
                    }
                    return acquired;
                }
            }
            LockRecord blocker = blockerOrFail(c, key, null, now);
            if (blocker.plan()) {
                update(c, MARK_WAITING, info.id(), info.json(), now, key.project(), key.name());
            }
            return new LockResult.HeldBy(blocker);
        });
    }

    private LockResult tryPlanLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        Instant waitingBefore = now.minus(LockStore.WAITING_EXCLUSIVE_HOLDS_FOR);
        var info = request.info();
        Optional<StateLock> seen = sql.read("find a lock", c -> lockOf(c, key));
        if (seen.isPresent()) {
            LockRecord refusal = seen.get().refusesPlans(waitingBefore);
            if (refusal != null) {
                return new LockResult.HeldBy(refusal);
            }
        }
        return sql.write("take a plan lock", c -> {
            JdbcCommits.ensureState(c, key, now);
            Optional<LockRecord> again = touchPlanLock(c, key, info.id(), now);
            if (again.isPresent()) {
                return new LockResult.Acquired(again.get());
            }
            if (update(c, COUNT_PLAN_LOCK, key.project(), key.name(), waitingBefore) == 0) {
                StateLock state = lockOf(c, key).orElse(null);
                LockRecord refusal = state == null ? null : state.refusesPlans(waitingBefore);
                if (refusal == null) {
                    holderOrFail(c, key); // no such project, or a retry
                    throw new Sql.Retry();
                }
                return new LockResult.HeldBy(refusal);
            }
            int inserted = update(
                    c,
                    INSERT_PLAN_LOCK,
                    key.project(),
                    key.name(),
                    info.id(),
                    info.json(),
                    info.operation(),
                    request.principal(),
                    now,
                    now,
                    request.credential());
            if (inserted == 0) { // the same ID, granted concurrently (PostgreSQL only)
                update(c, UNCOUNT_PLAN_LOCKS, 1, key.project(), key.name());
                return new LockResult.Acquired(
                        touchPlanLock(c, key, info.id(), now).orElseThrow(Sql.Retry::new));
            }
            if (request.audit() != null) {
                history.insertAudit(c, request.audit());
            }
            return new LockResult.Acquired(
                    new LockRecord(info, request.principal(), now, now, request.credential(), LockRecord.Kind.PLAN));
        });
    }

    private static Optional<LockRecord> touchPlanLock(Connection c, StateKey key, String lockId, Instant now)
            throws SQLException {
        try (BoundStatement ps = prepare(c, TOUCH_PLAN_LOCK, now, key.project(), key.name(), lockId);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(planLock(rs)) : Optional.empty();
        }
    }

    UnlockResult unlock(StateKey key, String lockId, AuditEvent released) {
        // Nothing held, or held by another ID: answered from a read, no write transaction.
        List<LockRecord> current = findLocks(key);
        if (current.isEmpty()) {
            return new UnlockResult.NotLocked();
        }
        if (lockId != null && current.stream().noneMatch(l -> l.id().equals(lockId))) {
            return new UnlockResult.HeldBy(current.get(0));
        }
        // A client's UNLOCK needs no fsync of its own: lost in a power failure, it leaves the lock held
        // as if the UNLOCK had never arrived (the next run is told who holds it, and force-unlock
        // clears it, as after a client killed mid-apply). A forced release (no ID) is durable.
        Sql.Work<UnlockResult> release = c -> {
            List<LockRecord> releasedLocks = lockId == null ? releaseAll(c, key) : releaseOne(c, key, lockId);
            if (releasedLocks == null) {
                return new UnlockResult.HeldBy(holderOrFail(c, key));
            }
            if (releasedLocks.isEmpty()) {
                return new UnlockResult.NotLocked();
            }
            if (released != null) {
                for (LockRecord lock : releasedLocks) {
                    history.insertAudit(c, released.forReleasedLock(lock.id()));
                }
            }
            return new UnlockResult.Released(releasedLocks);
        };
        return lockId != null ? sql.writeRelaxed("unlock a state", release) : sql.write("unlock a state", release);
    }

    UnlockResult unlockPlanLock(StateKey key, String lockId, AuditEvent released) {
        Objects.requireNonNull(lockId, "lockId");
        return sql.writeRelaxed("release a plan lock", c -> {
            List<LockRecord> plan = deletePlanLocks(c, key, " AND lock_id = ?", lockId);
            if (plan.isEmpty()) {
                return new UnlockResult.NotLocked();
            }
            if (released != null) {
                history.insertAudit(c, released.forReleasedLock(lockId));
            }
            return new UnlockResult.Released(plan);
        });
    }

    /** Releases the holder {@code lockId}: the released lock, or null when another ID holds the state. */
    private static List<LockRecord> releaseOne(Connection c, StateKey key, String lockId) throws SQLException {
        LockRecord exclusive = lockOf(c, key).map(StateLock::lock).orElse(null);
        if (exclusive != null) {
            if (!exclusive.id().equals(lockId)) {
                return null;
            }
            // Compare-and-set on the ID just read: a concurrent change makes this a retry.
            if (update(c, RELEASE_LOCK, key.project(), key.name(), lockId) == 0) {
                throw new Sql.Retry();
            }
            return List.of(exclusive);
        }
        List<LockRecord> plan = deletePlanLocks(c, key, " AND lock_id = ?", lockId);
        if (plan.isEmpty()) {
            return planLocks(c, key).isEmpty() ? List.of() : null;
        }
        return plan;
    }

    /** Force-unlock: the exclusive lock and every plan lock. */
    private static List<LockRecord> releaseAll(Connection c, StateKey key) throws SQLException {
        List<LockRecord> released = new ArrayList<>();
        LockRecord exclusive = lockOf(c, key).map(StateLock::lock).orElse(null);
        if (exclusive != null) {
            if (update(c, RELEASE_LOCK, key.project(), key.name(), exclusive.id()) == 0) {
                throw new Sql.Retry();
            }
            released.add(exclusive);
        }
        released.addAll(deletePlanLocks(c, key, ""));
        return released;
    }

    /** Deletes the state's plan locks matching {@code where}, uncounting them; the ones deleted. */
    private static List<LockRecord> deletePlanLocks(Connection c, StateKey key, String where, Object... params)
            throws SQLException {
        List<Object> all = new ArrayList<>(List.of(key.project(), key.name()));
        all.addAll(List.of(params));
        List<LockRecord> deleted = new ArrayList<>();
        try (BoundStatement ps = prepare(
                        c,
                        "DELETE FROM plan_locks WHERE project = ? AND state = ?" + where + " RETURNING " + PLAN_COLUMNS,
                        all.toArray());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                deleted.add(planLock(rs));
            }
        }
        if (!deleted.isEmpty()) {
            update(c, UNCOUNT_PLAN_LOCKS, deleted.size(), key.project(), key.name());
        }
        deleted.sort(java.util.Comparator.comparing(LockRecord::acquiredAt));
        return deleted;
    }

    Optional<LockRecord> findLock(StateKey key) {
        return sql.read("find a lock", c -> lockOf(c, key).map(StateLock::lock));
    }

    /** The exclusive holder, or the plan holders oldest first; empty when nothing is held. */
    List<LockRecord> findLocks(StateKey key) {
        return sql.read("find the locks", c -> {
            Optional<StateLock> state = lockOf(c, key);
            if (state.isEmpty()) {
                return List.of();
            }
            if (state.get().lock() != null) {
                return List.of(state.get().lock());
            }
            return state.get().planLocks() == 0 ? List.of() : planLocks(c, key);
        });
    }

    boolean expireLock(StateKey key, String lockId, Instant idleBefore) {
        Objects.requireNonNull(lockId, "lockId");
        Instant before = millis(idleBefore);
        return sql.write("expire a lock", c -> {
            if (update(c, EXPIRE_LOCK, key.project(), key.name(), lockId, before) == 1) {
                return true;
            }
            // a plan lock never writes: nothing to fence, it is only released
            return !deletePlanLocks(c, key, " AND lock_id = ? AND last_activity < ?", lockId, before)
                    .isEmpty();
        });
    }

    // ---- stale locks ------------------------------------------------------------------------

    private static final String IDLE_EXCLUSIVE = "SELECT project, name, " + Rows.LOCK_COLUMNS + " FROM states"
            + " WHERE lock_id IS NOT NULL AND lock_last_activity < ?"
            + " AND (stale_lock_id IS NULL OR stale_lock_id <> lock_id) ORDER BY lock_last_activity LIMIT ?";

    private static final String IDLE_PLAN = "SELECT project, state, " + PLAN_COLUMNS + " FROM plan_locks"
            + " WHERE last_activity < ? AND stale_raised = 0 ORDER BY last_activity LIMIT ?";

    private static final String MARK_STALE = "UPDATE states SET stale_lock_id = lock_id"
            + " WHERE project = ? AND name = ? AND lock_id = ? AND lock_last_activity < ?"
            + " AND (stale_lock_id IS NULL OR stale_lock_id <> lock_id)";

    private static final String MARK_PLAN_STALE = "UPDATE plan_locks SET stale_raised = 1"
            + " WHERE project = ? AND state = ? AND lock_id = ? AND last_activity < ? AND stale_raised = 0";

    List<dev.statefort.core.model.IdleLock> findIdleLocks(Instant idleBefore, int limit) {
        Instant before = millis(idleBefore);
        return sql.read("find idle locks", c -> {
            List<dev.statefort.core.model.IdleLock> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, IDLE_EXCLUSIVE, before, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new dev.statefort.core.model.IdleLock(
                            new StateKey(rs.getString("project"), rs.getString("name")), Rows.lock(rs)));
                }
            }
            try (BoundStatement ps = prepare(c, IDLE_PLAN, before, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new dev.statefort.core.model.IdleLock(
                            new StateKey(rs.getString("project"), rs.getString("state")), planLock(rs)));
                }
            }
            out.sort(java.util.Comparator.comparing(l -> l.lock().lastActivityAt()));
            return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
        });
    }

    boolean markLockStale(StateKey key, String lockId, Instant idleBefore, AuditEvent event) {
        Objects.requireNonNull(lockId, "lockId");
        Instant before = millis(idleBefore);
        return sql.write("mark a lock stale", c -> {
            boolean marked = update(c, MARK_STALE, key.project(), key.name(), lockId, before) == 1
                    || update(c, MARK_PLAN_STALE, key.project(), key.name(), lockId, before) == 1;
            if (marked && event != null) {
                history.insertAudit(c, event);
            }
            return marked;
        });
    }

    // ---- freezes ----------------------------------------------------------------------------

    /** Replaces the freeze of the same target in one statement (two admins at once: the later one wins). */
    private static final String UPSERT_FREEZE = "INSERT INTO freezes (" + FREEZE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (project, state) DO UPDATE SET reason = excluded.reason, frozen_by = excluded.frozen_by,"
            + " frozen_at = excluded.frozen_at, until_at = excluded.until_at";

    void freeze(Freeze freeze) {
        sql.write("freeze", c -> {
            JdbcCommits.requireProject(c, freeze.project());
            update(
                    c,
                    UPSERT_FREEZE,
                    freeze.project(),
                    freeze.state() == null ? "" : freeze.state(),
                    freeze.reason(),
                    freeze.frozenBy(),
                    millis(freeze.frozenAt()),
                    millisOrNull(freeze.until() == null ? null : millis(freeze.until())));
            return null;
        });
    }

    boolean unfreeze(String project, String state) {
        return sql.write(
                "lift a freeze",
                c -> update(
                                c,
                                "DELETE FROM freezes WHERE project = ? AND state = ?",
                                project,
                                state == null ? "" : state)
                        == 1);
    }

    List<Freeze> listFreezes(String project) {
        return sql.read("list freezes", c -> freezes(c, " WHERE project = ? ORDER BY state", project));
    }

    Optional<Freeze> findFreeze(StateKey key, Instant now) {
        return sql.read("find a freeze", c -> freezeOf(c, key, millis(now)));
    }

    /** The freeze in force on {@code key} at {@code now}: the state's own first, then the project's. */
    static Optional<Freeze> freezeOf(Connection c, StateKey key, Instant now) throws SQLException {
        return freezes(
                        c,
                        " WHERE project = ? AND (state = ? OR state = '') AND (until_at IS NULL OR until_at > ?)"
                                + " ORDER BY state DESC",
                        key.project(),
                        key.name(),
                        now)
                .stream()
                .findFirst();
    }

    private static List<Freeze> freezes(Connection c, String where, Object... params) throws SQLException {
        List<Freeze> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, "SELECT " + FREEZE_COLUMNS + " FROM freezes" + where, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String state = rs.getString("state");
                out.add(new Freeze(
                        rs.getString("project"),
                        state.isEmpty() ? null : state,
                        rs.getString("reason"),
                        rs.getString("frozen_by"),
                        getInstant(rs, "frozen_at"),
                        getInstant(rs, "until_at")));
            }
        }
        return out;
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- reading a lock inside a write (the commits and the catalog use them too) ----

    /**
     * The lock columns of an existing state: {@code lock} is the exclusive lock (null when not
     * held), {@code planLocks} how many plan locks are held, {@code waiting} the exclusive LOCK the
     * plan locks make wait (or null), {@code fenced} the LockInfo of the last lock {@code
     * expireLock} released (or null).
     */
    record StateLock(LockRecord lock, int planLocks, LockRecord waiting, LockInfo fenced) {
        /** What a new plan lock is shown when refused (the exclusive holder, the waiting LOCK), or null. */
        LockRecord refusesPlans(Instant waitingBefore) {
            if (lock != null) {
                return lock;
            }
            return waiting != null && !waiting.lastActivityAt().isBefore(waitingBefore) ? waiting : null;
        }
    }

    /** The state's lock; empty when the state does not exist. */
    static Optional<StateLock> lockOf(Connection c, StateKey key) throws SQLException {
        try (BoundStatement ps = prepare(
                        c,
                        "SELECT " + Rows.LOCK_COLUMNS + ", fenced_lock_id, fenced_lock_info, fenced_lock_operation,"
                                + " plan_locks, waiting_lock_id, waiting_lock_info, waiting_since"
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
            String waitingId = rs.getString("waiting_lock_id");
            LockRecord waiting = null;
            if (waitingId != null) {
                Instant since = getInstant(rs, "waiting_since");
                LockInfo info = LockInfo.parse(rs.getBytes("waiting_lock_info"));
                waiting = new LockRecord(info, "", since, since, null, LockRecord.Kind.WAITING);
            }
            return Optional.of(new StateLock(Rows.lock(rs), rs.getInt("plan_locks"), waiting, fenced));
        }
    }

    /** The state's plan locks, oldest first. */
    static List<LockRecord> planLocks(Connection c, StateKey key) throws SQLException {
        List<LockRecord> out = new ArrayList<>();
        try (BoundStatement ps = prepare(
                        c,
                        "SELECT " + PLAN_COLUMNS + " FROM plan_locks WHERE project = ? AND state = ?"
                                + " ORDER BY acquired_at, lock_id",
                        key.project(),
                        key.name());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(planLock(rs));
            }
        }
        return out;
    }

    private static LockRecord planLock(ResultSet rs) throws SQLException {
        String id = rs.getString("lock_id");
        return new LockRecord(
                LockInfo.of(rs.getBytes("lock_info"), id, rs.getString("operation")),
                rs.getString("principal"),
                getInstant(rs, "acquired_at"),
                getInstant(rs, "last_activity"),
                rs.getString("credential"),
                LockRecord.Kind.PLAN);
    }

    /**
     * What keeps a change under {@code lockId} (null: none) from a state, after a conditional write
     * matched nothing: the exclusive holder; a plan holder (the one named {@code lockId} if it is
     * one); the freeze in force at {@code now}; or {@link ProjectNotFoundException} when the state
     * could not be created, or a retry when nothing blocks any more (possible on PostgreSQL only).
     * The caller checks fencing first.
     */
    static LockRecord blockerOrFail(Connection c, StateKey key, String lockId, Instant now) throws SQLException {
        Optional<StateLock> state = lockOf(c, key);
        if (state.isPresent()) {
            if (state.get().lock() != null) {
                return state.get().lock();
            }
            if (state.get().planLocks() > 0) {
                List<LockRecord> plans = planLocks(c, key);
                if (!plans.isEmpty()) {
                    return plans.stream()
                            .filter(p -> p.id().equals(lockId))
                            .findFirst()
                            .orElse(plans.get(0));
                }
            }
            Optional<Freeze> freeze = freezeOf(c, key, now);
            if (freeze.isPresent()) {
                return freeze.get().asHolder();
            }
            throw new Sql.Retry();
        }
        holderOrFail(c, key);
        throw new Sql.Retry();
    }

    /**
     * After a conditional write matched nothing: the holder of the lock, or {@link
     * ProjectNotFoundException} when the state could not be created, or a retry when the lock was
     * released (or the state deleted) in between (possible on PostgreSQL only).
     */
    static LockRecord holderOrFail(Connection c, StateKey key) throws SQLException {
        Optional<StateLock> state = lockOf(c, key);
        if (state.isPresent()) {
            if (state.get().lock() != null) {
                return state.get().lock();
            }
            List<LockRecord> plans = planLocks(c, key);
            if (!plans.isEmpty()) {
                return plans.get(0);
            }
            throw new Sql.Retry();
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
