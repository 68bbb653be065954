package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UploadGrant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The upload-grant part of {@link JdbcAccessStore}. Never puts a grant's hash into a message. */
final class JdbcUploadGrants {
    private static final String COLUMNS = "id_hash, project, state, kind, serial, lineage, md5, lock_id, principal,"
            + " trust_policies, created_at, expires_at, used_at";

    /** Inserts the grant if its state exists and its hash is free: no row otherwise. */
    private static final String INSERT = "INSERT INTO upload_grants (" + COLUMNS + ")"
            + " SELECT ?, project, name, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL FROM states WHERE project = ? AND name = ?"
            + " ON CONFLICT (id_hash) DO NOTHING";

    /** The one redemption: unused and unexpired, in one conditional write. */
    private static final String REDEEM = "UPDATE upload_grants SET used_at = ?"
            + " WHERE id_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING " + COLUMNS;

    private final Sql sql;

    JdbcUploadGrants(Sql sql) {
        this.sql = sql;
    }

    void create(UploadGrant g) {
        sql.write("create an upload grant", c -> {
            int inserted = update(
                    c,
                    INSERT,
                    g.idHash(),
                    g.kind().name(),
                    g.serial(),
                    g.lineage(),
                    g.md5(),
                    g.lockId(),
                    g.principal(),
                    JsonLists.encode(g.trustPolicies(), false),
                    JdbcAccessStore.millis(g.createdAt()),
                    JdbcAccessStore.millis(g.expiresAt()),
                    g.key().project(),
                    g.key().name());
            if (inserted == 0) {
                try (BoundStatement ps = prepare(
                                c,
                                "SELECT 1 FROM states WHERE project = ? AND name = ?",
                                g.key().project(),
                                g.key().name());
                        ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalArgumentException("an upload grant with this ID already exists");
                    }
                    throw new NotFoundException("state " + g.key() + " does not exist");
                }
            }
            return null;
        });
    }

    Optional<UploadGrant> redeem(String idHash, Instant now) {
        // a read first: a URL never issued (or used) costs no write transaction, which on SQLite would
        // queue behind every state's writes
        boolean usable = sql.read("find an upload grant", c -> {
            try (BoundStatement ps = prepare(
                            c,
                            "SELECT 1 FROM upload_grants WHERE id_hash = ? AND used_at IS NULL AND expires_at > ?",
                            idHash,
                            now);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
        if (!usable) {
            return Optional.empty();
        }
        return sql.write("redeem an upload grant", c -> {
            try (BoundStatement ps = prepare(c, REDEEM, JdbcAccessStore.millis(now), idHash, now);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(grant(rs)) : Optional.empty();
            }
        });
    }

    boolean release(String idHash, Instant usedAt) {
        return sql.write(
                "release an upload grant",
                c -> update(
                                c,
                                "UPDATE upload_grants SET used_at = NULL WHERE id_hash = ? AND used_at = ?",
                                idHash,
                                JdbcAccessStore.millis(usedAt))
                        == 1);
    }

    int deleteExpired(Instant before) {
        return sql.write(
                "delete expired upload grants",
                c -> update(c, "DELETE FROM upload_grants WHERE expires_at < ?", Sql.ceilMillis(before)));
    }

    private static UploadGrant grant(ResultSet rs) throws SQLException {
        return new UploadGrant(
                rs.getString("id_hash"),
                new StateKey(rs.getString("project"), rs.getString("state")),
                UploadGrant.Kind.valueOf(rs.getString("kind")),
                rs.getLong("serial"),
                rs.getString("lineage"),
                rs.getString("md5"),
                rs.getString("lock_id"),
                rs.getString("principal"),
                JsonLists.decode(rs.getString("trust_policies")),
                getInstant(rs, "created_at"),
                getInstant(rs, "expires_at"),
                getInstant(rs, "used_at"));
    }
}
