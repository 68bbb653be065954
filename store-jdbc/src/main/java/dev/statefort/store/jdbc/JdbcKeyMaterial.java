package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The key material part of {@link JdbcMetadataStore}. Never puts bytes into a message. */
final class JdbcKeyMaterial {
    /** Compare-and-set from "absent": the primary key decides, atomically. */
    private static final String INSERT_IF_ABSENT =
            "INSERT INTO key_material (name, material, updated_at)" + " VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING";

    /** Compare-and-set from given bytes (BYTEA/BLOB {@code =} compares bytes on both databases). */
    private static final String REPLACE_IF_EQUAL =
            "UPDATE key_material SET material = ?, updated_at = ? WHERE name = ? AND material = ?";

    private final Sql sql;

    JdbcKeyMaterial(Sql sql) {
        this.sql = sql;
    }

    Optional<byte[]> find(String name) {
        Objects.requireNonNull(name, "name");
        return sql.read("find key material", c -> {
            try (BoundStatement ps = prepare(c, "SELECT material FROM key_material WHERE name = ?", name);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] material = rs.getBytes(1);
                // A fresh array per read; sqlite-jdbc may give null for a zero-length BLOB.
                return Optional.of(material == null ? new byte[0] : material);
            }
        });
    }

    boolean replace(String name, byte[] expected, byte[] replacement, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replacement, "replacement");
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        // Bound from copies: the caller may change its arrays while the statement runs.
        byte[] newBytes = replacement.clone();
        if (expected == null) {
            return sql.write("store key material", c -> update(c, INSERT_IF_ABSENT, name, newBytes, at) == 1);
        }
        byte[] oldBytes = expected.clone();
        return sql.write("replace key material", c -> update(c, REPLACE_IF_EQUAL, newBytes, at, name, oldBytes) == 1);
    }

    List<String> names() {
        List<String> names = sql.read("list key material", c -> {
            List<String> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, "SELECT name FROM key_material");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        // Sorted here: database collations differ (PostgreSQL's locale order is not String order).
        names.sort(null);
        return List.copyOf(names);
    }
}
