package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.longOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.project.ProjectRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateRecord;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.Page;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.VersionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Implements MetadataStore on JDBC (SQLite or PostgreSQL, one schema): every state change is one
 * conditional write on the state row, in one transaction with what belongs to it.
 */
final class JdbcMetadataStore implements MetadataStore {
    private static final String ENSURE_STATE = "INSERT INTO states (project, name, created_at, head_version)"
            + " SELECT name, ?, ?, 0 FROM projects WHERE name = ?"
            + " ON CONFLICT (project, name) DO NOTHING";

    /** Takes a free lock, or (same ID) only moves its last activity; RETURNING the lock as stored. */
    private static final String TRY_LOCK = "UPDATE states SET"
            + " lock_info = CASE WHEN lock_id IS NULL THEN ? ELSE lock_info END,"
            + " lock_operation = CASE WHEN lock_id IS NULL THEN ? ELSE lock_operation END,"
            + " lock_principal = CASE WHEN lock_id IS NULL THEN ? ELSE lock_principal END,"
            + " lock_acquired_at = CASE WHEN lock_id IS NULL THEN ? ELSE lock_acquired_at END,"
            + " lock_last_activity = ?, lock_id = ?"
            + " WHERE project = ? AND name = ? AND (lock_id IS NULL OR lock_id = ?)"
            + " RETURNING " + Rows.LOCK_COLUMNS;

    /** Claims the next version number unless another ID holds the lock. */
    private static final String NEXT_VERSION = "UPDATE states SET head_version = head_version + 1,"
            + " lock_last_activity = CASE WHEN lock_id IS NULL THEN lock_last_activity ELSE ? END"
            + " WHERE project = ? AND name = ? AND (lock_id IS NULL OR lock_id = ?)"
            + " RETURNING head_version, lock_id, lock_operation";

    private static final String INSERT_VERSION = "INSERT INTO versions (project, state, number, serial, lineage,"
            + " sha256, size, created_at, principal, lock_id, operation, blob_key)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String RELEASE_LOCK = "UPDATE states SET lock_id = NULL, lock_info = NULL,"
            + " lock_operation = NULL, lock_principal = NULL, lock_acquired_at = NULL, lock_last_activity = NULL"
            + " WHERE project = ? AND name = ? AND lock_id = ?";

    /** A no-op write that row-locks the state unless another ID holds its lock. */
    private static final String CLAIM_FOR_DELETE =
            "UPDATE states SET head_version = head_version WHERE project = ? AND name = ?"
                    + " AND (lock_id IS NULL OR lock_id = ?)";

    private final Sql sql;
    private final JdbcTokens tokens;
    private final JdbcVersions versions;
    private final JdbcKeyMaterial keyMaterial;

    JdbcMetadataStore(Sql sql) {
        this.sql = sql;
        this.tokens = new JdbcTokens(sql);
        this.versions = new JdbcVersions(sql);
        this.keyMaterial = new JdbcKeyMaterial(sql);
    }

    // ---- projects -------------------------------------------------------------------------

    @Override
    public boolean createProject(String name, Instant now) {
        return sql.write(
                "create a project",
                c -> update(
                                c,
                                "INSERT INTO projects (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                                name,
                                now)
                        == 1);
    }

    @Override
    public Optional<ProjectRecord> findProject(String name) {
        return sql.read("find a project", c -> {
            try (PreparedStatement ps = prepare(c, "SELECT name, created_at FROM projects WHERE name = ?", name);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.project(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<ProjectRecord> listProjects() {
        List<ProjectRecord> projects = sql.read("list projects", c -> {
            List<ProjectRecord> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT name, created_at FROM projects");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.project(rs));
                }
            }
            return out;
        });
        // Sorted here: database collations differ (PostgreSQL's locale order is not String order).
        projects.sort(Comparator.comparing(ProjectRecord::name));
        return List.copyOf(projects);
    }

    // ---- states ---------------------------------------------------------------------------

    @Override
    public List<StateRecord> listStates(String project) {
        List<StateRecord> states = sql.read("list states", c -> {
            List<StateRecord> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, Rows.STATE_SELECT + " WHERE s.project = ?", project);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.state(project, rs));
                }
            }
            return out;
        });
        states.sort(Comparator.comparing(s -> s.key().name()));
        return List.copyOf(states);
    }

    @Override
    public Optional<StateRecord> findState(StateKey key) {
        return sql.read("find a state", c -> {
            try (PreparedStatement ps = prepare(
                            c, Rows.STATE_SELECT + " WHERE s.project = ? AND s.name = ?", key.project(), key.name());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.state(key.project(), rs)) : Optional.empty();
            }
        });
    }

    @Override
    public DeleteResult deleteState(StateKey key, String lockId) {
        return sql.write("delete a state", c -> {
            if (update(c, CLAIM_FOR_DELETE, key.project(), key.name(), lockId) == 0) {
                Optional<StateLocks.StateLock> state = StateLocks.lockOf(c, key);
                if (state.isEmpty()) {
                    return new DeleteResult.NotFound();
                }
                if (state.get().lock() == null) {
                    throw new Sql.Retry(); // unlocked in between (PostgreSQL only)
                }
                return new DeleteResult.LockedBy(state.get().lock());
            }
            // DELETE ... RETURNING reports exactly the blob keys deleted, even when a concurrent
            // replaceVersionBlob re-pointed a version after this transaction began.
            TreeMap<Long, String> blobKeys = new TreeMap<>();
            try (PreparedStatement ps = prepare(
                            c,
                            "DELETE FROM versions WHERE project = ? AND state = ? RETURNING number, blob_key",
                            key.project(),
                            key.name());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blobKeys.put(rs.getLong(1), rs.getString(2));
                }
            }
            update(c, "DELETE FROM states WHERE project = ? AND name = ?", key.project(), key.name());
            return new DeleteResult.Deleted(List.copyOf(blobKeys.values()));
        });
    }

    // ---- locks ----------------------------------------------------------------------------

    @Override
    public LockResult tryLock(StateKey key, LockRequest request) {
        Instant now = millis(request.now());
        var info = request.info();
        return sql.write("lock a state", c -> {
            ensureState(c, key, now);
            try (PreparedStatement ps = prepare(
                            c,
                            TRY_LOCK,
                            info.json(),
                            info.operation(),
                            request.principal(),
                            now,
                            now,
                            info.id(),
                            key.project(),
                            key.name(),
                            info.id());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new LockResult.Acquired(Rows.lock(rs));
                }
            }
            return new LockResult.HeldBy(StateLocks.holderOrFail(c, key));
        });
    }

    @Override
    public UnlockResult unlock(StateKey key, String lockId) {
        return sql.write("unlock a state", c -> {
            LockRecord held =
                    StateLocks.lockOf(c, key).map(StateLocks.StateLock::lock).orElse(null);
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
            return new UnlockResult.Released(held);
        });
    }

    @Override
    public Optional<LockRecord> findLock(StateKey key) {
        return sql.read("find a lock", c -> {
            return StateLocks.lockOf(c, key).map(StateLocks.StateLock::lock);
        });
    }

    // ---- versions -------------------------------------------------------------------------

    @Override
    public CommitResult commitVersion(StateKey key, NewVersion version, String lockId) {
        Instant createdAt = millis(version.createdAt());
        return sql.write("commit a version", c -> {
            ensureState(c, key, createdAt);
            long number;
            String operation;
            try (PreparedStatement ps = prepare(c, NEXT_VERSION, createdAt, key.project(), key.name(), lockId);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new CommitResult.LockedBy(StateLocks.holderOrFail(c, key));
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
                    version.blobKey());
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
                    record.blobKey());
            return new CommitResult.Committed(record);
        });
    }

    @Override
    public Optional<VersionRecord> headVersion(StateKey key) {
        return versions.head(key);
    }

    @Override
    public Optional<VersionRecord> findVersion(StateKey key, long number) {
        return versions.find(key, number);
    }

    @Override
    public Page<VersionRecord> listVersions(StateKey key, PageRequest page) {
        return versions.list(key, page);
    }

    // ---- tokens ---------------------------------------------------------------------------

    @Override
    public void createToken(TokenRecord token) {
        tokens.create(token);
    }

    @Override
    public Optional<TokenRecord> findToken(String id) {
        return tokens.find(id);
    }

    @Override
    public List<TokenRecord> listTokens() {
        return tokens.list();
    }

    @Override
    public boolean revokeToken(String id, Instant now) {
        return tokens.revoke(id, now);
    }

    // ---- key material ---------------------------------------------------------------------

    @Override
    public Optional<byte[]> findKeyMaterial(String name) {
        return keyMaterial.find(name);
    }

    @Override
    public boolean replaceKeyMaterial(String name, byte[] expected, byte[] replacement, Instant now) {
        return keyMaterial.replace(name, expected, replacement, now);
    }

    @Override
    public List<String> listKeyMaterialNames() {
        return keyMaterial.names();
    }

    // ---- re-encryption ----------------------------------------------------------------------

    @Override
    public List<VersionRecord> listProjectVersions(String project, String afterState, Long afterNumber, int limit) {
        return versions.listOfProject(project, afterState, afterNumber, limit);
    }

    @Override
    public boolean replaceVersionBlob(StateKey key, long number, String expectedBlobKey, String newBlobKey) {
        return versions.replaceBlob(key, number, expectedBlobKey, newBlobKey);
    }

    // ---- health ---------------------------------------------------------------------------

    @Override
    public void ping() {
        sql.read("answer a ping", c -> {
            try (PreparedStatement ps = prepare(c, "SELECT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void close() {
        sql.close();
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void ensureState(Connection c, StateKey key, Instant now) throws SQLException {
        update(c, ENSURE_STATE, key.name(), now, key.project());
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
