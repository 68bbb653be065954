package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.getLong;

import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.VersionRecord;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Column lists and row mappers shared by the queries of {@link JdbcMetadataStore}. */
final class Rows {
    private Rows() {}

    static final String LOCK_COLUMNS =
            "lock_id, lock_info, lock_operation, lock_principal, lock_acquired_at, lock_last_activity, lock_credential";

    static final String VERSION_COLUMNS = "v.number AS v_number, v.serial AS v_serial, v.lineage AS v_lineage,"
            + " v.sha256 AS v_sha256, v.size AS v_size, v.created_at AS v_created_at,"
            + " v.principal AS v_principal, v.lock_id AS v_lock_id, v.operation AS v_operation,"
            + " v.blob_key AS v_blob_key, v.resource_count AS v_resource_count,"
            + " v.terraform_version AS v_terraform_version, v.flags AS v_flags";

    /** States with their head version (if any) and lock; add a WHERE on {@code s}. */
    static final String STATE_SELECT = "SELECT s.name AS s_name, s.created_at AS s_created_at, s.lock_id,"
            + " s.lock_info, s.lock_operation, s.lock_principal, s.lock_acquired_at, s.lock_last_activity,"
            + " s.lock_credential, s.plan_locks AS s_plan_locks, "
            + VERSION_COLUMNS
            + " FROM states s LEFT JOIN versions v"
            + " ON v.project = s.project AND v.state = s.name AND v.number = s.head_version";

    static final String TOKEN_COLUMNS = "id, name, project, state, permission, owner_user, secret_hash, created_at,"
            + " expires_at, revoked_at, last_used_at, owner_user_id, parent_id";

    /** The lock in the current row's {@link #LOCK_COLUMNS}, or null when unlocked. */
    static LockRecord lock(ResultSet rs) throws SQLException {
        String id = rs.getString("lock_id");
        if (id == null) {
            return null;
        }
        LockInfo info = LockInfo.of(rs.getBytes("lock_info"), id, rs.getString("lock_operation"));
        return new LockRecord(
                info,
                rs.getString("lock_principal"),
                getInstant(rs, "lock_acquired_at"),
                getInstant(rs, "lock_last_activity"),
                rs.getString("lock_credential"));
    }

    /** The version in the current row's {@link #VERSION_COLUMNS}, or null when the join found none. */
    static VersionRecord version(StateKey key, ResultSet rs) throws SQLException {
        Long number = getLong(rs, "v_number");
        if (number == null) {
            return null;
        }
        return new VersionRecord(
                key,
                number,
                getLong(rs, "v_serial"),
                rs.getString("v_lineage"),
                rs.getString("v_sha256"),
                rs.getLong("v_size"),
                getInstant(rs, "v_created_at"),
                rs.getString("v_principal"),
                rs.getString("v_lock_id"),
                rs.getString("v_operation"),
                rs.getString("v_blob_key"),
                intOrNull(getLong(rs, "v_resource_count")),
                rs.getString("v_terraform_version"),
                JsonLists.decode(rs.getString("v_flags")));
    }

    static Integer intOrNull(Long value) {
        return value == null ? null : Math.toIntExact(value);
    }

    static StateRecord state(String project, ResultSet rs) throws SQLException {
        StateKey key = new StateKey(project, rs.getString("s_name"));
        return new StateRecord(
                key, getInstant(rs, "s_created_at"), version(key, rs), lock(rs), rs.getInt("s_plan_locks"));
    }

    static ProjectRecord project(ResultSet rs) throws SQLException {
        return new ProjectRecord(
                rs.getString("name"), getInstant(rs, "created_at"), rs.getString("storage"), rs.getString("moving_to"));
    }

    static TokenRecord token(ResultSet rs) throws SQLException {
        return new TokenRecord(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("project"),
                rs.getString("state"),
                Permission.valueOf(rs.getString("permission")),
                rs.getString("owner_user"),
                rs.getString("secret_hash"),
                getInstant(rs, "created_at"),
                getInstant(rs, "expires_at"),
                getInstant(rs, "revoked_at"),
                getInstant(rs, "last_used_at"),
                rs.getString("owner_user_id"),
                rs.getString("parent_id"));
    }
}
