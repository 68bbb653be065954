package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.spi.BlobKeys;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;

/** The {@code small_blobs} table: small versions' encoded bytes, kept beside their rows. */
final class JdbcSmallBlobs {
    private static final String INSERT = "INSERT INTO small_blobs (blob_key, content) VALUES (?, ?)";
    private static final String DELETE = "DELETE FROM small_blobs WHERE blob_key = ?";

    private final Sql sql;

    JdbcSmallBlobs(Sql sql) {
        this.sql = sql;
    }

    Optional<byte[]> find(String key) {
        return sql.read("read a small blob", c -> {
            try (BoundStatement ps = prepare(c, "SELECT content FROM small_blobs WHERE blob_key = ?", key);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
    }

    void put(String key, byte[] content) {
        sql.write("store a small blob", c -> {
            update(c, DELETE, key);
            insert(c, key, content);
            return null;
        });
    }

    void delete(String key) {
        sql.write("delete a small blob", c -> update(c, DELETE, key));
    }

    /** Inside a version's commit. */
    static void insert(Connection c, String key, byte[] content) throws SQLException {
        update(c, INSERT, key, content);
    }

    /** Inside the transaction that deleted the versions (or quarantined writes) these keys belonged to. */
    static void deleteAll(Connection c, Collection<String> blobKeys) throws SQLException {
        for (String key : blobKeys) {
            if (BlobKeys.isInDatabase(key)) {
                update(c, DELETE, key);
            }
        }
    }
}
