package dev.statefort.store.jdbc;

import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The database half of backup and restore: every table read in one transaction (a consistent
 * snapshot while writes go on), and loaded into an empty database in one transaction. The schema is
 * the same SQL on SQLite and PostgreSQL, so a snapshot of either loads into either.
 *
 * <p>On PostgreSQL the read is one {@code REPEATABLE READ} read-only transaction. On SQLite (WAL
 * mode) one read transaction sees the database as of its first read, whatever is committed after.
 */
public final class DatabaseSnapshots {
    /**
     * Every table a snapshot holds, in the order a restore inserts them (a referenced table first).
     * Login sessions and the authentication-failure counters are left out: they are short-lived, and
     * a restored node starts with nobody logged in.
     */
    public static final List<String> TABLES = List.of(
            "projects",
            "users",
            "states",
            "versions",
            "quarantine",
            "small_blobs",
            "project_settings",
            "state_settings",
            "tokens",
            "key_material",
            "audit_events",
            "memberships",
            "aliases",
            "trust_policies",
            "plan_locks",
            "freezes",
            "protection_rules",
            "webhooks",
            "state_consumers");

    /**
     * Tables of the schema a snapshot does not hold: what lives minutes (sessions, the failure
     * throttle, a TFE client's upload URLs, the webhook outbox: a restored server does not send
     * old events again), what is derived (the search index: a restored server rebuilds it from every
     * state's current version) and Flyway's own.
     */
    public static final Set<String> NOT_KEPT = Set.of(
            "sessions",
            "auth_failures",
            "upload_grants",
            "webhook_deliveries",
            "index_entries",
            "index_terms",
            "flyway_schema_history");

    private static final int FETCH_ROWS = 1_000;

    private DatabaseSnapshots() {}

    /** Receives a snapshot, table by table; values are null, Long, Boolean, String or byte[]. */
    public interface Visitor {
        void table(String name, List<String> columns) throws IOException;

        void row(Object[] values) throws IOException;
    }

    /** A table as a snapshot holds it: its column names and its rows, values in column order. */
    public record Table(List<String> columns, List<Object[]> rows) {
        /** The index of {@code name} among the columns, or -1. */
        public int column(String name) {
            return columns.indexOf(name);
        }
    }

    /** A visitor that keeps every table as it is read, by name, in the order read. */
    public static class Collector implements Visitor {
        private final Map<String, Table> tables = new java.util.LinkedHashMap<>();
        private List<Object[]> current;

        @Override
        public void table(String name, List<String> columns) {
            current = new ArrayList<>();
            tables.put(name, new Table(columns, current));
        }

        @Override
        public void row(Object[] values) {
            current.add(values);
        }

        /** The tables read so far. */
        public Map<String, Table> tables() {
            return tables;
        }
    }

    /** Gives a snapshot's tables back, for a restore. */
    public interface Source {
        /** A source over tables held in memory, by name. */
        static Source of(Map<String, Table> tables) {
            return new Source() {
                @Override
                public List<String> columns(String table) {
                    return tables.get(table).columns();
                }

                @Override
                public Iterator<Object[]> rows(String table) {
                    return tables.get(table).rows().iterator();
                }
            };
        }

        /** The table's column names as the snapshot has them. */
        List<String> columns(String table) throws IOException;

        /** The table's rows, values in {@link #columns} order. */
        Iterator<Object[]> rows(String table) throws IOException;
    }

    /** A connection of its own to the database at {@code url} (user and password may be null). */
    public static Connection connect(String url, String user, String password) {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    /** The schema's migration version (Flyway's), which a restore's target must have too. */
    public static int schemaVersion(Connection connection) throws SQLException {
        int version = 0;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success")) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && v.matches("\\d+")) {
                    version = Math.max(version, Integer.parseInt(v));
                }
            }
        }
        return version;
    }

    /**
     * Reads every table of {@link #TABLES} in one read-only transaction and hands it to {@code
     * visitor}; returns the schema version read in the same transaction.
     *
     * @throws IllegalStateException when the schema has a table neither kept nor left out (a new
     *     migration must say which)
     */
    public static int read(Connection connection, Visitor visitor) throws IOException, SQLException {
        requireKnownTables(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        if (!isSqlite(connection)) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
        }
        try {
            int version = schemaVersion(connection);
            for (String table : TABLES) {
                try (Statement s = connection.createStatement()) {
                    s.setFetchSize(
                            FETCH_ROWS); // PostgreSQL streams a table in a transaction instead of loading it whole
                    ResultSet rs = s.executeQuery("SELECT * FROM " + table);
                    int n = rs.getMetaData().getColumnCount();
                    List<String> columns = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        columns.add(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
                    }
                    visitor.table(table, columns);
                    while (rs.next()) {
                        Object[] values = new Object[n];
                        for (int i = 1; i <= n; i++) {
                            values[i - 1] = portable(rs.getObject(i));
                        }
                        visitor.row(values);
                    }
                }
            }
            connection.commit();
            return version;
        } catch (IOException | SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Inserts a snapshot into the (migrated, empty) database of {@code connection} in one
     * transaction: all of it or nothing.
     *
     * @throws IllegalStateException when the database is not empty, or the snapshot comes from a
     *     schema other than this database's
     */
    public static void load(Connection connection, int snapshotSchemaVersion, Source source)
            throws IOException, SQLException {
        int target = schemaVersion(connection);
        if (snapshotSchemaVersion != target) {
            // an older snapshot loaded into a newer schema would skip the data its migrations backfill
            throw new IllegalStateException("the backup has schema version " + snapshotSchemaVersion
                    + ", this Statefort " + target + "; restore it with the version that made it, then upgrade");
        }
        for (String table : TABLES) {
            if (hasRows(connection, table)) {
                throw new IllegalStateException("the target database is not empty (table " + table
                        + " has rows); restore only into a new, empty database");
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (String table : TABLES) {
                insert(connection, table, source);
            }
            try (java.sql.Statement s = connection.createStatement()) {
                // the search index is not in a snapshot: every state is indexed again from its head
                s.executeUpdate("UPDATE states SET indexed_version = NULL, index_status = NULL, index_digest = NULL");
            }
            connection.commit();
        } catch (IOException | SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void insert(Connection connection, String table, Source source) throws IOException, SQLException {
        List<String> columns = source.columns(table);
        Map<String, Integer> types = columnTypes(connection, table);
        for (String column : columns) {
            if (!types.containsKey(column)) {
                throw new IllegalStateException("the backup's table " + table + " has a column " + column
                        + " this database does not; restore it with the version that made it");
            }
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int batched = 0;
            Iterator<Object[]> rows = source.rows(table);
            while (rows.hasNext()) {
                Object[] row = rows.next();
                if (row.length != columns.size()) {
                    throw new IllegalStateException("a row of table " + table + " has " + row.length + " values for "
                            + columns.size() + " columns");
                }
                for (int i = 0; i < row.length; i++) {
                    bind(insert, i + 1, types.get(columns.get(i)), row[i]);
                }
                insert.addBatch();
                if (++batched % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** Binds a snapshot value to a column of the target's type (SQLite keeps booleans as 0 and 1). */
    private static void bind(PreparedStatement insert, int index, int sqlType, Object value) throws SQLException {
        if (value == null) {
            insert.setNull(index, sqlType);
            return;
        }
        switch (sqlType) {
            case Types.BOOLEAN, Types.BIT ->
                insert.setBoolean(index, value instanceof Boolean b ? b : ((Number) value).longValue() != 0);
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT ->
                insert.setLong(index, value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue());
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                insert.setBytes(index, (byte[]) value);
            default -> {
                if (value instanceof byte[] bytes) {
                    insert.setBytes(index, bytes);
                } else if (value instanceof Boolean b) {
                    insert.setBoolean(index, b);
                } else if (value instanceof Long l) {
                    insert.setLong(index, l);
                } else {
                    insert.setString(index, value.toString());
                }
            }
        }
    }

    /** A value as a snapshot keeps it: null, Long, Boolean, String or byte[]. */
    private static Object portable(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Long l -> l;
            case Boolean b -> b;
            case byte[] bytes -> bytes;
            case String s -> s;
            default -> value.toString();
        };
    }

    private static Map<String, Integer> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, Integer> types = new HashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            var meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                int type = meta.getColumnType(i);
                String declared = meta.getColumnTypeName(i).toUpperCase(Locale.ROOT);
                if (declared.startsWith("BOOL")) {
                    type = Types.BOOLEAN;
                } else if (declared.equals("BYTEA") || declared.equals("BLOB")) {
                    type = Types.VARBINARY;
                } else if (declared.equals("BIGINT") || declared.equals("INTEGER") || declared.equals("INT8")) {
                    type = Types.BIGINT;
                }
                types.put(meta.getColumnName(i).toLowerCase(Locale.ROOT), type);
            }
        }
        return types;
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return rs.next();
        }
    }

    private static void requireKnownTables(Connection connection) throws SQLException {
        Set<String> tables = new TreeSet<>();
        DatabaseMetaData meta = connection.getMetaData();
        String schema = isSqlite(connection) ? null : connection.getSchema();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        tables.removeAll(TABLES);
        tables.removeAll(NOT_KEPT);
        tables.removeIf(t -> t.startsWith("sqlite_"));
        if (!tables.isEmpty()) {
            throw new IllegalStateException("tables " + tables + " are neither in a backup nor left out of it;"
                    + " add them to DatabaseSnapshots.TABLES or NOT_KEPT");
        }
    }

    private static boolean isSqlite(Connection connection) throws SQLException {
        return connection.getMetaData().getURL().startsWith("jdbc:sqlite:");
    }
}
