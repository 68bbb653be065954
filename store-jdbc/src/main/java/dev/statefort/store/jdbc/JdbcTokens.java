package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.auth.TokenRecord;
import java.sql.PreparedStatement;
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
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

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
                                millisOrNull(token.lastUsedAt()))
                        == 1);
        if (!created) {
            throw new IllegalArgumentException("a token with ID " + token.id() + " already exists");
        }
    }

    Optional<TokenRecord> find(String id) {
        return sql.read("find a token", c -> {
            try (PreparedStatement ps = prepare(c, "SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens WHERE id = ?", id);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.token(rs)) : Optional.empty();
            }
        });
    }

    List<TokenRecord> list() {
        List<TokenRecord> tokens = sql.read("list tokens", c -> {
            List<TokenRecord> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens");
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

    boolean revoke(String id, Instant now) {
        return sql.write(
                "revoke a token",
                c -> update(
                                c,
                                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                                now.truncatedTo(ChronoUnit.MILLIS),
                                id)
                        == 1);
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
