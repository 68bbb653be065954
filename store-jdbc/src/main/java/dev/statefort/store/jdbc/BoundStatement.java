package dev.statefort.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement with its parameters bound, for one execution. Closing it closes the statement,
 * or, when it came from a connection's {@link StatementCache}, only resets it (its result closed) so
 * the next query with the same text skips SQLite's prepare.
 */
final class BoundStatement implements AutoCloseable {
    private final PreparedStatement statement;
    private final boolean cached;
    private ResultSet result;

    BoundStatement(PreparedStatement statement, boolean cached) {
        this.statement = statement;
        this.cached = cached;
    }

    ResultSet executeQuery() throws SQLException {
        result = statement.executeQuery();
        return result;
    }

    int executeUpdate() throws SQLException {
        return statement.executeUpdate();
    }

    PreparedStatement statement() {
        return statement;
    }

    @Override
    public void close() throws SQLException {
        if (!cached) {
            statement.close();
        } else if (result != null) {
            // a SQLite statement left stepping holds a read snapshot open (and WAL checkpoints back)
            result.close();
            result = null;
        }
    }
}
