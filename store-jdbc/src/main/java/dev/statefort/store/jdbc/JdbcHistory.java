package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.getLong;
import static dev.statefort.store.jdbc.Sql.longOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Quarantine, settings documents and the audit log: the history part of {@link JdbcMetadataStore}. */
final class JdbcHistory {
    private static final String QUARANTINE_COLUMNS = "id, blob_key, serial, lineage, sha256, size, principal,"
            + " created_at, resource_count, terraform_version, flags, lock_id, reasons";

    private static final String SELECT_QUARANTINE =
            "SELECT " + QUARANTINE_COLUMNS + " FROM quarantine WHERE project = ? AND state = ?";

    /** Hands out the state's next quarantine ID (row-locking the state). */
    private static final String NEXT_QUARANTINE_ID = "UPDATE states SET quarantine_seq = quarantine_seq + 1"
            + " WHERE project = ? AND name = ? RETURNING quarantine_seq";

    private static final String INSERT_QUARANTINE = "INSERT INTO quarantine (project, state, " + QUARANTINE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String DELETE_QUARANTINE =
            "DELETE FROM quarantine WHERE project = ? AND state = ? AND id = ? RETURNING blob_key";

    private static final String SAVE_PROJECT_SETTINGS = "INSERT INTO project_settings (project, json, updated_at)"
            + " SELECT name, ?, ? FROM projects WHERE name = ?"
            + " ON CONFLICT (project) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at";

    private static final String SAVE_STATE_SETTINGS = "INSERT INTO state_settings (project, state, json, updated_at)"
            + " SELECT project, name, ?, ? FROM states WHERE project = ? AND name = ?"
            + " ON CONFLICT (project, state) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at";

    /** The first settings of a state: no row when it has some already (or the state is gone). */
    private static final String FIRST_STATE_SETTINGS = "INSERT INTO state_settings (project, state, json, updated_at)"
            + " SELECT project, name, ?, ? FROM states WHERE project = ? AND name = ?"
            + " ON CONFLICT (project, state) DO NOTHING";

    /** The settings replaced only if they are still what the caller read. */
    private static final String REPLACE_STATE_SETTINGS =
            "UPDATE state_settings SET json = ?, updated_at = ? WHERE project = ? AND state = ? AND json = ?";

    private static final String AUDIT_COLUMNS =
            "id, at, principal, source_ip, action, outcome, project, state, version, detail";

    private static final String INSERT_AUDIT =
            "INSERT INTO audit_events (" + AUDIT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Sql sql;

    JdbcHistory(Sql sql) {
        this.sql = sql;
    }

    // ---- quarantine -----------------------------------------------------------------------

    QuarantineRecord quarantine(StateKey key, NewVersion version, String lockId, List<String> reasons) {
        Objects.requireNonNull(reasons, "reasons");
        Instant createdAt = millis(version.createdAt());
        NewVersion kept = new NewVersion(
                version.blobKey(),
                version.serial(),
                version.lineage(),
                version.sha256(),
                version.size(),
                version.principal(),
                createdAt,
                version.resourceCount(),
                version.terraformVersion(),
                version.flags());
        QuarantineRecord record = new QuarantineRecord(key, 0, kept, lockId, reasons);
        return sql.write("quarantine a write", c -> {
            JdbcCommits.ensureState(c, key, createdAt);
            long id;
            try (BoundStatement ps = prepare(c, NEXT_QUARANTINE_ID, key.project(), key.name());
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    JdbcCommits.requireProject(c, key);
                    throw new Sql.Retry(); // deleted in between (PostgreSQL only)
                }
                id = rs.getLong(1);
            }
            update(
                    c,
                    INSERT_QUARANTINE,
                    key.project(),
                    key.name(),
                    id,
                    kept.blobKey(),
                    longOrNull(kept.serial()),
                    kept.lineage(),
                    kept.sha256(),
                    kept.size(),
                    kept.principal(),
                    createdAt,
                    longOrNull(
                            kept.resourceCount() == null
                                    ? null
                                    : kept.resourceCount().longValue()),
                    kept.terraformVersion(),
                    JsonLists.encode(kept.flags(), true),
                    lockId,
                    JsonLists.encode(record.reasons(), false));
            return new QuarantineRecord(key, id, kept, lockId, record.reasons());
        });
    }

    List<QuarantineRecord> listQuarantine(StateKey key) {
        return sql.read("list quarantined writes", c -> queryQuarantine(c, key, " ORDER BY id DESC"));
    }

    Optional<QuarantineRecord> findQuarantine(StateKey key, long id) {
        return sql.read("find a quarantined write", c -> queryQuarantine(c, key, " AND id = ?", id).stream()
                .findFirst());
    }

    boolean replaceQuarantineBlob(StateKey key, long id, String expectedBlobKey, String newBlobKey) {
        Objects.requireNonNull(expectedBlobKey, "expectedBlobKey");
        Objects.requireNonNull(newBlobKey, "newBlobKey");
        return sql.write(
                "replace the blob of a quarantined write",
                c -> update(
                                c,
                                "UPDATE quarantine SET blob_key = ? WHERE project = ? AND state = ? AND id = ?"
                                        + " AND blob_key = ?",
                                newBlobKey,
                                key.project(),
                                key.name(),
                                id,
                                expectedBlobKey)
                        == 1);
    }

    Optional<String> deleteQuarantine(StateKey key, long id) {
        return sql.write("delete a quarantined write", c -> {
            try (BoundStatement ps = prepare(c, DELETE_QUARANTINE, key.project(), key.name(), id);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /** Inside deleteState: deletes all quarantined writes of the state, returning their blob keys by ID. */
    List<String> deleteQuarantineOf(Connection c, StateKey key) throws SQLException {
        TreeMap<Long, String> blobKeys = new TreeMap<>();
        try (BoundStatement ps = prepare(
                        c,
                        "DELETE FROM quarantine WHERE project = ? AND state = ? RETURNING id, blob_key",
                        key.project(),
                        key.name());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                blobKeys.put(rs.getLong(1), rs.getString(2));
            }
        }
        return List.copyOf(blobKeys.values());
    }

    Optional<CommitResult> promoteQuarantine(
            StateKey key, long id, String lockId, String principal, Instant now, RetentionPolicy retention) {
        Objects.requireNonNull(retention, "retention");
        return sql.write("promote a quarantined write", c -> {
            Optional<QuarantineRecord> found =
                    queryQuarantine(c, key, " AND id = ?", id).stream().findFirst();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            NewVersion q = found.get().version();
            NewVersion promoted = new NewVersion(
                    q.blobKey(),
                    q.serial(),
                    q.lineage(),
                    q.sha256(),
                    q.size(),
                    principal,
                    now,
                    q.resourceCount(),
                    q.terraformVersion(),
                    List.of());
            CommitResult result = JdbcCommits.commit(c, key, promoted, now, lockId, retention);
            // The commit row-locked the state; a quarantine row gone meanwhile (promoted or deleted
            // concurrently, PostgreSQL only) makes the next attempt answer empty, and one whose blob a
            // storage move switched meanwhile (and whose old blob it deleted) is read again.
            if (result instanceof CommitResult.Committed
                    && update(
                                    c,
                                    "DELETE FROM quarantine WHERE project = ? AND state = ? AND id = ? AND blob_key = ?",
                                    key.project(),
                                    key.name(),
                                    id,
                                    q.blobKey())
                            == 0) {
                throw new Sql.Retry();
            }
            return Optional.of(result);
        });
    }

    private static List<QuarantineRecord> queryQuarantine(Connection c, StateKey key, String tail, Object... more)
            throws SQLException {
        Object[] params = new Object[2 + more.length];
        params[0] = key.project();
        params[1] = key.name();
        System.arraycopy(more, 0, params, 2, more.length);
        List<QuarantineRecord> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, SELECT_QUARANTINE + tail, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                NewVersion v = new NewVersion(
                        rs.getString("blob_key"),
                        getLong(rs, "serial"),
                        rs.getString("lineage"),
                        rs.getString("sha256"),
                        rs.getLong("size"),
                        rs.getString("principal"),
                        getInstant(rs, "created_at"),
                        Rows.intOrNull(getLong(rs, "resource_count")),
                        rs.getString("terraform_version"),
                        JsonLists.decode(rs.getString("flags")));
                out.add(new QuarantineRecord(
                        key, rs.getLong("id"), v, rs.getString("lock_id"), JsonLists.decode(rs.getString("reasons"))));
            }
        }
        return out;
    }

    // ---- settings -------------------------------------------------------------------------

    Optional<String> findProjectSettings(String project) {
        return sql.read(
                "find project settings",
                c -> queryJson(c, "SELECT json FROM project_settings WHERE project = ?", project));
    }

    void saveProjectSettings(String project, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        sql.write("save project settings", c -> {
            if (update(c, SAVE_PROJECT_SETTINGS, json, now, project) == 0) {
                throw new ProjectNotFoundException(project);
            }
            return null;
        });
    }

    Optional<String> findStateSettings(StateKey key) {
        return sql.read(
                "find state settings",
                c -> queryJson(
                        c,
                        "SELECT json FROM state_settings WHERE project = ? AND state = ?",
                        key.project(),
                        key.name()));
    }

    void saveStateSettings(StateKey key, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        sql.write("save state settings", c -> {
            JdbcCommits.ensureState(c, key, now);
            if (update(c, SAVE_STATE_SETTINGS, json, now, key.project(), key.name()) == 0) {
                JdbcCommits.requireProject(c, key);
                throw new Sql.Retry(); // deleted in between (PostgreSQL only)
            }
            return null;
        });
    }

    Map<String, String> listStateSettings(String project) {
        return sql.read("list state settings", c -> {
            Map<String, String> out = new java.util.TreeMap<>();
            try (BoundStatement ps = prepare(c, "SELECT state, json FROM state_settings WHERE project = ?", project);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString("state"), rs.getString("json"));
                }
            }
            return out;
        });
    }

    boolean replaceStateSettings(StateKey key, String expected, String json, Instant now) {
        Objects.requireNonNull(json, "json");
        return sql.write("replace state settings", c -> {
            JdbcCommits.ensureState(c, key, now);
            if (expected != null) {
                return update(c, REPLACE_STATE_SETTINGS, json, now, key.project(), key.name(), expected) == 1;
            }
            if (update(c, FIRST_STATE_SETTINGS, json, now, key.project(), key.name()) == 1) {
                return true;
            }
            if (queryJson(
                            c,
                            "SELECT json FROM state_settings WHERE project = ? AND state = ?",
                            key.project(),
                            key.name())
                    .isPresent()) {
                return false; // someone saved the first settings meanwhile
            }
            JdbcCommits.requireProject(c, key);
            throw new Sql.Retry(); // deleted in between (PostgreSQL only)
        });
    }

    private static Optional<String> queryJson(Connection c, String query, Object... params) throws SQLException {
        try (BoundStatement ps = prepare(c, query, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    // ---- audit ----------------------------------------------------------------------------

    AuditEvent appendAudit(AuditEvent event) {
        return sql.write("append an audit event", c -> insertAudit(c, event));
    }

    void appendAuditLater(AuditEvent event) {
        Objects.requireNonNull(event.outcome(), "outcome");
        sql.writeLater("append an audit event", c -> insertAudit(c, event));
    }

    /**
     * Appends {@code event} inside the caller's transaction (ID and time assigned here) and returns it
     * as stored. An event of a state sorts after the state's newest one even when it was made on a
     * node whose clock is behind ({@link AuditEvent#storedAfter}). Two appends on two nodes at the
     * same moment may both read the same newest event: both then sort after it (in either order,
     * as concurrent events may), and the random part keeps their IDs apart.
     */
    AuditEvent insertAudit(Connection c, AuditEvent event) throws SQLException {
        Objects.requireNonNull(event.outcome(), "outcome");
        AuditEvent stored =
                event.storedAfter(event.state() == null ? null : newestIdOf(c, event.project(), event.state()));
        update(
                c,
                INSERT_AUDIT,
                stored.id(),
                stored.at(),
                stored.principal(),
                stored.sourceIp(),
                stored.action(),
                stored.outcome(),
                stored.project(),
                stored.state(),
                longOrNull(stored.version()),
                stored.detail());
        JdbcWebhooks.fanOut(c, stored);
        return stored;
    }

    private static String newestIdOf(Connection c, String project, String state) throws SQLException {
        try (BoundStatement ps = prepare(
                        c,
                        "SELECT id FROM audit_events WHERE project = ? AND state = ? ORDER BY id DESC LIMIT 1",
                        project,
                        state);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Newest first: IDs start with the zero-padded time, so byte order of IDs is (at, id) order.
     * The time bounds compare stored milliseconds with the bounds rounded up, which is {@link
     * AuditQuery#matches} for bounds with sub-millisecond digits too.
     */
    List<AuditEvent> listAudit(AuditQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        filter(where, params, "project", query.project());
        filter(where, params, "state", query.state());
        filter(where, params, "principal", query.principal());
        filter(where, params, "action", query.action());
        if (query.from() != null) {
            where.append(" AND at >= ?");
            params.add(Sql.ceilMillis(query.from()));
        }
        if (query.to() != null) {
            where.append(" AND at < ?");
            params.add(Sql.ceilMillis(query.to()));
        }
        if (query.beforeId() != null) {
            where.append(" AND id").append(sql.byteOrder()).append(" < ?");
            params.add(query.beforeId());
        }
        params.add(query.limit());
        String select = "SELECT " + AUDIT_COLUMNS + " FROM audit_events" + where + " ORDER BY id" + sql.byteOrder()
                + " DESC LIMIT ?";
        return sql.read("list audit events", c -> {
            List<AuditEvent> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, select, params.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(auditEvent(rs));
                }
            }
            return List.copyOf(out);
        });
    }

    Optional<AuditEvent> findAudit(String id) {
        return sql.read("find an audit event", c -> {
            try (BoundStatement ps = prepare(c, "SELECT " + AUDIT_COLUMNS + " FROM audit_events WHERE id = ?", id);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(auditEvent(rs)) : Optional.empty();
            }
        });
    }

    Map<String, AuditEvent> findAudits(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String select = "SELECT " + AUDIT_COLUMNS + " FROM audit_events WHERE id IN ("
                + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")";
        return sql.read("find audit events", c -> {
            Map<String, AuditEvent> out = new java.util.HashMap<>();
            try (BoundStatement ps = prepare(c, select, ids.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditEvent e = auditEvent(rs);
                    out.put(e.id(), e);
                }
            }
            return out;
        });
    }

    List<AuditEvent> listAuditAfter(String project, String afterId, int limit) {
        // an event's time is its ID's prefix: the time bound lets the (project, at) index find them
        String select = "SELECT " + AUDIT_COLUMNS + " FROM audit_events WHERE project = ? AND at >= ? AND id"
                + sql.byteOrder() + " > ? ORDER BY id" + sql.byteOrder() + " LIMIT ?";
        long from = afterId == null
                        || afterId.length() < 16
                        || !afterId.substring(0, 16).chars().allMatch(Character::isDigit)
                ? 0
                : Long.parseLong(afterId.substring(0, 16));
        return sql.read("list audit events after one", c -> {
            List<AuditEvent> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, select, project, from, afterId == null ? "" : afterId, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(auditEvent(rs));
                }
            }
            return List.copyOf(out);
        });
    }

    private static AuditEvent auditEvent(ResultSet rs) throws SQLException {
        return new AuditEvent(
                rs.getString("id"),
                getInstant(rs, "at"),
                rs.getString("principal"),
                rs.getString("source_ip"),
                rs.getString("action"),
                rs.getString("outcome"),
                rs.getString("project"),
                rs.getString("state"),
                getLong(rs, "version"),
                rs.getString("detail"));
    }

    private static void filter(StringBuilder where, List<Object> params, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
