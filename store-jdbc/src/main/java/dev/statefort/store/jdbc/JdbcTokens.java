package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.TokenRecord;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The token part of {@link JdbcMetadataStore}. Never puts a secret hash into a message. */
final class JdbcTokens {
    private static final String INSERT = "INSERT INTO tokens (" + Rows.TOKEN_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    private final Sql sql;

    JdbcTokens(Sql sql) {
        this.sql = sql;
    }

    void create(TokenRecord token) {
        boolean created = sql.write(
                "create a token",
                c -> update(
                                c,
                                INSERT,
                                token.id(),
                                token.name(),
                                token.project(),
                                token.state(),
                                token.permission().name(),
                                token.ownerUser(),
                                token.secretHash(),
                                token.createdAt().truncatedTo(ChronoUnit.MILLIS),
                                millisOrNull(token.expiresAt()),
                                millisOrNull(token.revokedAt()),
                                millisOrNull(token.lastUsedAt()),
                                token.ownerUserId(),
                                token.parentId())
                        == 1);
        if (!created) {
            throw new IllegalArgumentException("a token with ID " + token.id() + " already exists");
        }
    }

    Optional<TokenRecord> find(String id) {
        return sql.read("find a token", c -> {
            try (BoundStatement ps = prepare(c, "SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens WHERE id = ?", id);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.token(rs)) : Optional.empty();
            }
        });
    }

    List<TokenRecord> list() {
        List<TokenRecord> tokens = sql.read("list tokens", c -> {
            List<TokenRecord> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, "SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.token(rs));
                }
            }
            return out;
        });
        // Sorted here so ties on the time order by ID as String does, on every database.
        tokens.sort(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id));
        return List.copyOf(tokens);
    }

    /** The token and, in the same transaction, its valid descendants. */
    boolean revoke(String id, Instant now) {
        return sql.write("revoke a token", c -> {
            Instant at = now.truncatedTo(ChronoUnit.MILLIS);
            if (update(c, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id) != 1) {
                return false;
            }
            update(c, revokeTree("SELECT id FROM tokens WHERE id = ?"), id, at);
            return true;
        });
    }

    /**
     * Revokes the tokens that {@code roots} selects (one column, the ID) and all their descendants
     * that are still valid; one statement, the same recursive SQL on SQLite and PostgreSQL. The
     * parameters are those of {@code roots}, then the revocation time; returns how many it revoked.
     */
    static String revokeTree(String roots) {
        return "WITH RECURSIVE tree(id) AS (" + roots
                + " UNION SELECT t.id FROM tokens t JOIN tree ON t.parent_id = tree.id)"
                + " UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND id IN (SELECT id FROM tree)";
    }

    boolean recordUse(String id, Instant now) {
        return sql.write(
                "record a token use",
                c -> update(
                                c,
                                "UPDATE tokens SET last_used_at = ? WHERE id = ?",
                                now.truncatedTo(ChronoUnit.MILLIS),
                                id)
                        == 1);
    }
}
