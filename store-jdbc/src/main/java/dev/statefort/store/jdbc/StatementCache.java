package dev.statefort.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept per SQLite connection and reused by their SQL text: sqlite-jdbc prepares
 * every statement anew (parse and plan in SQLite), which cost more than the query itself. The pool
 * lends a connection to one thread at a time, so a connection's statements need no lock. PostgreSQL
 * needs none of this: its driver keeps server-side prepared statements per connection itself.
 *
 * <p>Statements are prepared on the driver's own connection, not the pool's proxy (which would close
 * them when the connection goes back to the pool); closing the connection finalizes them. The map
 * forgets connections that were closed whenever a new one appears.
 */
final class StatementCache {
    /** Distinct statements kept per connection (the store has about 100 fixed texts). */
    static final int PER_CONNECTION = 256;

    private static final Map<Connection, Map<String, PreparedStatement>> BY_CONNECTION = new ConcurrentHashMap<>();

    private StatementCache() {}

    static BoundStatement prepare(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) {
            return new BoundStatement(c.prepareStatement(sql), false);
        }
        SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> statements = BY_CONNECTION.get(raw);
        if (statements == null) {
            BY_CONNECTION.keySet().removeIf(StatementCache::isClosed);
            statements = new Lru();
            BY_CONNECTION.put(raw, statements);
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = raw.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return new BoundStatement(ps, true);
    }

    /** How many connections have statements kept (for tests). */
    static int connections() {
        BY_CONNECTION.keySet().removeIf(StatementCache::isClosed);
        return BY_CONNECTION.size();
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static final class Lru extends LinkedHashMap<String, PreparedStatement> {
        Lru() {
            super(64, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            try {
                eldest.getValue().close();
            } catch (SQLException e) {
                // the statement is gone either way
            }
            return true;
        }
    }
}
