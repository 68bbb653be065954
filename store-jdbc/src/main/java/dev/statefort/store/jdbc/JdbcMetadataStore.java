package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.project.ProjectRecord;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateRecord;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.Page;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.QuarantineRecord;
import dev.statefort.core.version.RetentionPolicy;
import dev.statefort.core.version.VersionCommit;
import dev.statefort.core.version.VersionDeleteResult;
import dev.statefort.core.version.VersionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Implements MetadataStore on JDBC (SQLite or PostgreSQL, one schema): every state change is one
 * conditional write on the state row, in one transaction with what belongs to it.
 */
final class JdbcMetadataStore implements MetadataStore {
    /** Deletes one version unless it is the state's current one; RETURNING its blob key. */
    private static final String DELETE_VERSION = "DELETE FROM versions WHERE project = ? AND state = ? AND number = ?"
            + " AND number <> (SELECT head_version FROM states WHERE project = ? AND name = ?)"
            + " RETURNING blob_key";

    /** A no-op write that row-locks the state unless another ID holds its lock. */
    private static final String CLAIM_FOR_DELETE =
            "UPDATE states SET head_version = head_version WHERE project = ? AND name = ?"
                    + " AND (lock_id IS NULL OR lock_id = ?)";

    private final Sql sql;
    private final JdbcTokens tokens;
    private final JdbcVersions versions;
    private final JdbcKeyMaterial keyMaterial;
    private final JdbcHistory history;
    private final JdbcAccessStore access;
    private final JdbcLocks locks;

    JdbcMetadataStore(Sql sql) {
        this.sql = sql;
        this.tokens = new JdbcTokens(sql);
        this.versions = new JdbcVersions(sql);
        this.keyMaterial = new JdbcKeyMaterial(sql);
        this.history = new JdbcHistory(sql);
        this.access = new JdbcAccessStore(sql);
        this.locks = new JdbcLocks(sql, history);
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
            List<String> deleted = new ArrayList<>(blobKeys.values());
            deleted.addAll(history.deleteQuarantineOf(c, key));
            update(c, "DELETE FROM state_settings WHERE project = ? AND state = ?", key.project(), key.name());
            update(c, "DELETE FROM states WHERE project = ? AND name = ?", key.project(), key.name());
            return new DeleteResult.Deleted(deleted);
        });
    }

    // ---- locks ----------------------------------------------------------------------------

    @Override
    public LockResult tryLock(StateKey key, LockRequest request) {
        return locks.tryLock(key, request);
    }

    @Override
    public UnlockResult unlock(StateKey key, String lockId, Function<LockRecord, AuditEvent> released) {
        return locks.unlock(key, lockId, released);
    }

    @Override
    public Optional<LockRecord> findLock(StateKey key) {
        return locks.findLock(key);
    }

    // ---- versions -------------------------------------------------------------------------

    @Override
    public CommitResult commitVersion(VersionCommit commit) {
        return commit(commit.key(), commit.version(), commit.lockId(), commit.retention(), commit.audit());
    }

    private CommitResult commit(
            StateKey key, NewVersion version, String lockId, RetentionPolicy retention, AuditEvent audit) {
        Objects.requireNonNull(retention, "retention");
        Instant createdAt = millis(version.createdAt());
        return sql.write("commit a version", c -> {
            JdbcCommits.ensureState(c, key, createdAt);
            CommitResult result = JdbcCommits.commit(c, key, version, createdAt, lockId, retention);
            if (audit != null && result instanceof CommitResult.Committed committed) {
                history.insertAudit(c, audit.withVersion(committed.version().number()));
            }
            return result;
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

    @Override
    public VersionDeleteResult deleteVersion(StateKey key, long number) {
        return sql.write("delete a version", c -> {
            try (PreparedStatement ps =
                            prepare(c, DELETE_VERSION, key.project(), key.name(), number, key.project(), key.name());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new VersionDeleteResult.Deleted(rs.getString(1));
                }
            }
            // Nothing deleted: the version is absent, or it is the current one (which never goes away).
            try (PreparedStatement ps = prepare(
                            c,
                            "SELECT 1 FROM versions WHERE project = ? AND state = ? AND number = ?",
                            key.project(),
                            key.name(),
                            number);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new VersionDeleteResult.IsCurrent() : new VersionDeleteResult.NotFound();
            }
        });
    }

    // ---- quarantine -----------------------------------------------------------------------

    @Override
    public QuarantineRecord quarantine(StateKey key, NewVersion version, String lockId, List<String> reasons) {
        return history.quarantine(key, version, lockId, reasons);
    }

    @Override
    public List<QuarantineRecord> listQuarantine(StateKey key) {
        return history.listQuarantine(key);
    }

    @Override
    public Optional<QuarantineRecord> findQuarantine(StateKey key, long id) {
        return history.findQuarantine(key, id);
    }

    @Override
    public Optional<String> deleteQuarantine(StateKey key, long id) {
        return history.deleteQuarantine(key, id);
    }

    @Override
    public Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention) {
        return history.promoteQuarantine(key, id, lockId, principal, millis(now), retention);
    }

    // ---- settings -------------------------------------------------------------------------

    @Override
    public Optional<String> findProjectSettings(String project) {
        return history.findProjectSettings(project);
    }

    @Override
    public void saveProjectSettings(String project, String json, Instant now) {
        history.saveProjectSettings(project, json, millis(now));
    }

    @Override
    public Optional<String> findStateSettings(StateKey key) {
        return history.findStateSettings(key);
    }

    @Override
    public void saveStateSettings(StateKey key, String json, Instant now) {
        history.saveStateSettings(key, json, millis(now));
    }

    // ---- lock expiry -----------------------------------------------------------------------

    @Override
    public boolean expireLock(StateKey key, String lockId, Instant idleBefore) {
        return locks.expireLock(key, lockId, idleBefore);
    }

    // ---- audit ----------------------------------------------------------------------------

    @Override
    public AuditEvent appendAudit(AuditEvent event) {
        return history.appendAudit(event);
    }

    @Override
    public void appendAuditLater(AuditEvent event) {
        history.appendAuditLater(event);
    }

    @Override
    public List<AuditEvent> listAudit(AuditQuery query) {
        sql.awaitDeferred();
        return history.listAudit(query);
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

    @Override
    public boolean recordTokenUse(String id, Instant now) {
        return tokens.recordUse(id, now);
    }

    // ---- access ---------------------------------------------------------------------------

    @Override
    public AccessStore access() {
        return access;
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

    /** SQLite: COMMITs made so far by the one writer (a metric); -1 on PostgreSQL. */
    long writeCommits() {
        return sql.writeCommits();
    }

    /** SQLite: fsynced COMMITs so far (batches of deferred writes only are not); -1 on PostgreSQL. */
    long durableWriteCommits() {
        return sql.durableWriteCommits();
    }

    // ---- helpers --------------------------------------------------------------------------

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
