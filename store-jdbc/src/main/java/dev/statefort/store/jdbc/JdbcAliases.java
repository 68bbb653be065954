package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The alias part of {@link JdbcAccessStore}. Never puts a secret hash into a message. */
final class JdbcAliases {
    private static final String COLUMNS =
            "id, project, state, username, permission, secret_hash, created_by, created_at, revoked_at,"
                    + " maker_user, maker_user_id, maker_token, expires_at";

    /** Inserts the alias if its project exists and its ID is free: no row otherwise. */
    private static final String INSERT = "INSERT INTO aliases (" + COLUMNS + ")"
            + " SELECT ?, name, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE name = ?"
            + " ON CONFLICT (id) DO NOTHING";

    private final Sql sql;

    JdbcAliases(Sql sql) {
        this.sql = sql;
    }

    void create(AliasRecord alias) {
        StateKey state = alias.state();
        sql.write("create an alias", c -> {
            int inserted = update(
                    c,
                    INSERT,
                    alias.id(),
                    state.name(),
                    alias.username(),
                    alias.permission().name(),
                    alias.secretHash(),
                    alias.createdBy(),
                    JdbcAccessStore.millis(alias.createdAt()),
                    millisOrNull(alias.revokedAt()),
                    alias.maker().user(),
                    alias.maker().userId(),
                    alias.maker().tokenId(),
                    millisOrNull(alias.expiresAt()),
                    state.project());
            if (inserted == 0) {
                JdbcCommits.requireProject(c, state);
                throw new IllegalArgumentException("an alias with this ID already exists");
            }
            return null;
        });
    }

    Optional<AliasRecord> find(String id) {
        return sql.read(
                "find an alias", c -> query(c, " WHERE id = ?", id).stream().findFirst());
    }

    /** By creation time then ID; sorted here so ties order by ID as String does, on every database. */
    List<AliasRecord> list(String project) {
        List<AliasRecord> aliases =
                new ArrayList<>(sql.read("list aliases", c -> query(c, " WHERE project = ?", project)));
        aliases.sort(Comparator.comparing(AliasRecord::createdAt).thenComparing(AliasRecord::id));
        return List.copyOf(aliases);
    }

    boolean revoke(String id, Instant now) {
        return sql.write(
                "revoke an alias",
                c -> update(c, "UPDATE aliases SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) == 1);
    }

    boolean replaceSecret(String id, String secretHash) {
        return sql.write(
                "replace an alias secret",
                c -> update(c, "UPDATE aliases SET secret_hash = ? WHERE id = ? AND revoked_at IS NULL", secretHash, id)
                        == 1);
    }

    private static List<AliasRecord> query(Connection c, String where, Object... params) throws SQLException {
        List<AliasRecord> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM aliases" + where, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AliasRecord(
                        rs.getString("id"),
                        new StateKey(rs.getString("project"), rs.getString("state")),
                        rs.getString("username"),
                        Permission.valueOf(rs.getString("permission")),
                        rs.getString("secret_hash"),
                        rs.getString("created_by"),
                        getInstant(rs, "created_at"),
                        getInstant(rs, "revoked_at"),
                        new AliasMaker(
                                rs.getString("maker_user"), rs.getString("maker_user_id"), rs.getString("maker_token")),
                        getInstant(rs, "expires_at")));
            }
        }
        return out;
    }
}
