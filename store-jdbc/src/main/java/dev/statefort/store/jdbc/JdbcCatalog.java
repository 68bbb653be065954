package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link JdbcMetadataStore}'s projects and their states: create, find, list, and delete a state with all it holds. */
final class JdbcCatalog {
    /** A no-op write that row-locks the state unless another ID holds its lock. */
    private static final String CLAIM_FOR_DELETE =
            "UPDATE states SET head_version = head_version WHERE project = ? AND name = ?"
                    + " AND (lock_id IS NULL OR lock_id = ?) AND plan_locks = 0";

    private static final String PROJECT_COLUMNS = "name, created_at, storage, moving_to";

    private final Sql sql;
    private final JdbcHistory history;

    JdbcCatalog(Sql sql, JdbcHistory history) {
        this.sql = sql;
        this.history = history;
    }

    // ---- projects -------------------------------------------------------------------------

    boolean createProject(String name, String storage, Instant now) {
        Objects.requireNonNull(storage, "storage");
        return sql.write(
                "create a project",
                c -> update(
                                c,
                                "INSERT INTO projects (name, created_at, storage) VALUES (?, ?, ?)"
                                        + " ON CONFLICT (name) DO NOTHING",
                                name,
                                now,
                                storage)
                        == 1);
    }

    Optional<ProjectRecord> findProject(String name) {
        return sql.read("find a project", c -> {
            try (BoundStatement ps = prepare(c, "SELECT " + PROJECT_COLUMNS + " FROM projects WHERE name = ?", name);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.project(rs)) : Optional.empty();
            }
        });
    }

    boolean beginStorageMove(String project, String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return sql.write(
                "begin a storage move",
                c -> update(
                                c,
                                "UPDATE projects SET moving_to = ? WHERE name = ? AND storage = ? AND moving_to IS NULL",
                                to,
                                project,
                                from)
                        == 1);
    }

    boolean finishStorageMove(String project, String to) {
        Objects.requireNonNull(to, "to");
        return sql.write(
                "finish a storage move",
                c -> update(
                                c,
                                "UPDATE projects SET storage = moving_to, moving_to = NULL WHERE name = ? AND moving_to = ?",
                                project,
                                to)
                        == 1);
    }

    List<ProjectRecord> listProjects() {
        List<ProjectRecord> projects = sql.read("list projects", c -> {
            List<ProjectRecord> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, "SELECT " + PROJECT_COLUMNS + " FROM projects");
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

    List<StateRecord> listStates(String project) {
        List<StateRecord> states = sql.read("list states", c -> {
            List<StateRecord> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, Rows.STATE_SELECT + " WHERE s.project = ?", project);
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

    Optional<StateRecord> findState(StateKey key) {
        return sql.read("find a state", c -> {
            try (BoundStatement ps = prepare(
                            c, Rows.STATE_SELECT + " WHERE s.project = ? AND s.name = ?", key.project(), key.name());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.state(key.project(), rs)) : Optional.empty();
            }
        });
    }

    boolean createState(StateKey key, Instant now) {
        return sql.write("create a state", c -> {
            if (update(c, JdbcCommits.ENSURE_STATE, key.name(), now, key.project()) == 1) {
                return true;
            }
            JdbcCommits.requireProject(c, key);
            return false;
        });
    }

    DeleteResult deleteState(StateKey key, String lockId) {
        return sql.write("delete a state", c -> {
            if (update(c, CLAIM_FOR_DELETE, key.project(), key.name(), lockId) == 0) {
                Optional<JdbcLocks.StateLock> state = JdbcLocks.lockOf(c, key);
                if (state.isEmpty()) {
                    return new DeleteResult.NotFound();
                }
                // the holder, or a plan holder; a retry when unlocked in between (PostgreSQL only)
                return new DeleteResult.LockedBy(JdbcLocks.holderOrFail(c, key));
            }
            // DELETE ... RETURNING reports exactly the blob keys deleted, even when a concurrent
            // replaceVersionBlob re-pointed a version after this transaction began.
            TreeMap<Long, String> blobKeys = new TreeMap<>();
            try (BoundStatement ps = prepare(
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
            JdbcSmallBlobs.deleteAll(c, deleted);
            update(c, "DELETE FROM state_settings WHERE project = ? AND state = ?", key.project(), key.name());
            update(c, "DELETE FROM plan_locks WHERE project = ? AND state = ?", key.project(), key.name());
            JdbcFleet.deleteOf(c, key);
            update(c, "DELETE FROM states WHERE project = ? AND name = ?", key.project(), key.name());
            return new DeleteResult.Deleted(deleted);
        });
    }
}
