package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.longOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The steps of a commit inside a write transaction of {@link JdbcMetadataStore}, shared by {@code
 * commitVersion} and {@code promoteQuarantine}: claim the next number (lock check and fencing in
 * the same conditional UPDATE), insert the version, prune what retention no longer keeps.
 */
final class JdbcCommits {
    private JdbcCommits() {}

    static final String ENSURE_STATE = "INSERT INTO states (project, name, created_at, head_version)"
            + " SELECT name, ?, ?, 0 FROM projects WHERE name = ?"
            + " ON CONFLICT (project, name) DO NOTHING";

    /**
     * Claims the next version number unless another ID holds the lock, plan locks are held, or, while
     * unlocked, the ID is the fenced one or a freeze is in force (a lock held stays writable). The fencing parameter is bound as '' for a null ID (lock IDs are never empty),
     * so the condition never evaluates to SQL NULL.
     */
    private static final String NEXT_VERSION = "UPDATE states SET head_version = head_version + 1,"
            + " lock_last_activity = CASE WHEN lock_id IS NULL THEN lock_last_activity ELSE ? END"
            + " WHERE project = ? AND name = ? AND (lock_id IS NULL OR lock_id = ?)"
            + " AND (lock_id IS NOT NULL OR fenced_lock_id IS NULL OR fenced_lock_id <> ?)"
            + " AND plan_locks = 0 AND (lock_id IS NOT NULL OR " + JdbcLocks.NOT_FROZEN + ")"
            + " RETURNING head_version, lock_id, lock_operation";

    private static final String INSERT_VERSION = "INSERT INTO versions (project, state, number, serial, lineage,"
            + " sha256, size, created_at, principal, lock_id, operation, blob_key, resource_count,"
            + " terraform_version, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Versions at or below a number and created before a time; the caller keeps the new head out. */
    private static final String PRUNE = "DELETE FROM versions WHERE project = ? AND state = ?"
            + " AND number <= ? AND created_at < ? RETURNING number, blob_key";

    static void ensureState(Connection c, StateKey key, Instant now) throws SQLException {
        update(c, ENSURE_STATE, key.name(), now, key.project());
    }

    /**
     * Commits {@code version} (its time already truncated to {@code createdAt}) on an existing
     * state row, or returns why not having written nothing. The caller has ensured the state row.
     */
    static CommitResult commit(
            Connection c, StateKey key, NewVersion version, Instant createdAt, String lockId, RetentionPolicy retention)
            throws SQLException {
        long number;
        String operation;
        try (BoundStatement ps = prepare(
                        c,
                        NEXT_VERSION,
                        createdAt,
                        key.project(),
                        key.name(),
                        lockId,
                        lockId == null ? "" : lockId,
                        createdAt);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return refusal(c, key, lockId, createdAt);
            }
            number = rs.getLong("head_version");
            operation = rs.getString("lock_id") == null ? null : rs.getString("lock_operation");
        }
        VersionRecord record = new VersionRecord(
                key,
                number,
                version.serial(),
                version.lineage(),
                version.sha256(),
                version.size(),
                createdAt,
                version.principal(),
                lockId,
                operation,
                version.blobKey(),
                version.resourceCount(),
                version.terraformVersion(),
                version.flags());
        update(
                c,
                INSERT_VERSION,
                key.project(),
                key.name(),
                number,
                longOrNull(record.serial()),
                record.lineage(),
                record.sha256(),
                record.size(),
                createdAt,
                record.principal(),
                lockId,
                operation,
                record.blobKey(),
                longOrNull(
                        record.resourceCount() == null
                                ? null
                                : record.resourceCount().longValue()),
                record.terraformVersion(),
                JsonLists.encode(record.flags(), true));
        return new CommitResult.Committed(record, prune(c, key, number, createdAt, retention));
    }

    private static List<String> prune(
            Connection c, StateKey key, long number, Instant createdAt, RetentionPolicy retention) throws SQLException {
        long maxNumber = number - retention.keepVersions(); // < number: never the new head
        if (maxNumber < 1) {
            return List.of();
        }
        TreeMap<Long, String> pruned = new TreeMap<>();
        try (BoundStatement ps = prepare(
                        c, PRUNE, key.project(), key.name(), maxNumber, retention.prunableBeforeMillis(createdAt));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pruned.put(rs.getLong(1), rs.getString(2));
            }
        }
        return List.copyOf(pruned.values());
    }

    /**
     * After {@code NEXT_VERSION} matched nothing: Fenced when unlocked and the ID is the fenced one,
     * else LockedBy what blocks the write (the holder, a plan holder, the freeze), or
     * ProjectNotFoundException when the state could not be created, or a retry when nothing blocks
     * any more (possible on PostgreSQL only).
     */
    private static CommitResult refusal(Connection c, StateKey key, String lockId, Instant now) throws SQLException {
        Optional<JdbcLocks.StateLock> state = JdbcLocks.lockOf(c, key);
        if (state.isEmpty()) {
            requireProject(c, key);
            throw new Sql.Retry(); // deleted in between (PostgreSQL only)
        }
        JdbcLocks.StateLock lock = state.get();
        if (lock.lock() == null
                && lock.planLocks() == 0
                && lock.fenced() != null
                && lock.fenced().id().equals(lockId)) {
            return new CommitResult.Fenced(lock.fenced());
        }
        return new CommitResult.LockedBy(JdbcLocks.blockerOrFail(c, key, lockId, now));
    }

    /** Throws ProjectNotFoundException when the project of {@code key} does not exist. */
    static void requireProject(Connection c, StateKey key) throws SQLException {
        requireProject(c, key.project());
    }

    /** Throws ProjectNotFoundException when {@code project} does not exist. */
    static void requireProject(Connection c, String project) throws SQLException {
        try (BoundStatement ps = prepare(c, "SELECT 1 FROM projects WHERE name = ?", project);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new ProjectNotFoundException(project);
            }
        }
    }
}
