package dev.statefort.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.statefort.core.OverloadedException;
import dev.statefort.core.spi.StorageFullException;
import dev.statefort.core.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections, transactions and parameter binding for {@link JdbcMetadataStore}. Maps every
 * {@link SQLException} to a {@link StoreUnavailableException} naming the operation (never values).
 */
final class Sql implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

    /** Attempts of one write when a conditional step loses a race it cannot decide (PostgreSQL). */
    static final int MAX_ATTEMPTS = 5;

    /** PostgreSQL serialization failure and deadlock: safe to run the whole transaction again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

    enum Dialect {
        /** Write transactions are {@code BEGIN IMMEDIATE}: they take SQLite's write lock up front. */
        SQLITE,
        POSTGRES
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Thrown by a write step to roll back and run the whole transaction again. */
    static final class Retry extends RuntimeException {
        Retry() {
            super(null, null, false, false);
        }
    }

    private static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    /** SQLite: the one writer all write transactions go through; null for PostgreSQL. */
    private final SqliteWriteQueue writeQueue;

    /** PostgreSQL: transactions on pooled connections, retried on serialization failures. */
    Sql(HikariDataSource dataSource, Dialect dialect) {
        this(dataSource, dialect, null);
    }

    private Sql(HikariDataSource dataSource, Dialect dialect, SqliteWriteQueue writeQueue) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeQueue = writeQueue;
    }

    /** SQLite: every write through one in-process writer with group commit ({@link SqliteWriteQueue}). */
    static Sql sqlite(HikariDataSource dataSource, java.time.Duration maxWriteWait) {
        return new Sql(dataSource, Dialect.SQLITE, new SqliteWriteQueue(dataSource, maxWriteWait));
    }

    /**
     * A {@code COLLATE} clause that makes text compare byte by byte, which for the ASCII of project
     * and state names is {@link String#compareTo} order: PostgreSQL's default follows the database
     * locale; SQLite's default (BINARY) already compares bytes.
     */
    String byteOrder() {
        return dialect == Dialect.POSTGRES ? " COLLATE \"C\"" : "";
    }

    /** Whether this is the embedded SQLite database, written by this process only. */
    boolean isSqlite() {
        return dialect == Dialect.SQLITE;
    }

    /** Runs read-only work in auto-commit mode. */
    <T> T read(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Runs work in one transaction, retrying it (bounded) on {@link Retry} or a serialization failure.
     * On SQLite the transaction runs on the one writer, in a batch with the writes queued beside it.
     */
    /**
     * A write nobody waits for, on SQLite: queued for the writer's next batch (see {@link
     * SqliteWriteQueue#writeLater}). Elsewhere (PostgreSQL) it is an ordinary {@link #write}.
     */
    void writeLater(String operation, Work<?> work) {
        if (writeQueue != null) {
            writeQueue.writeLater(operation, work);
        } else {
            write(operation, work);
        }
    }

    /** Before a read that must see every deferred write made so far. */
    void awaitDeferred() {
        if (writeQueue != null) {
            writeQueue.awaitDeferred();
        }
    }

    /**
     * A write transaction whose loss in a power failure (or a crash of the database server) is
     * harmless: committed without waiting for its fsync (SQLite: a batch with no other write that
     * needs one is committed with {@code synchronous=NORMAL}; PostgreSQL: {@code synchronous_commit
     * off} for this transaction). Atomic either way, and made durable by the next durable commit.
     */
    <T> T writeRelaxed(String operation, Work<T> work) {
        if (writeQueue != null) {
            return writeQueue.writeRelaxed(operation, work);
        }
        return write(operation, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO OFF");
            }
            return work.run(c);
        });
    }

    <T> T write(String operation, Work<T> work) {
        if (writeQueue != null) {
            return writeQueue.write(operation, work);
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                begin(c);
                boolean committed = false;
                try {
                    T result = work.run(c);
                    commit(c);
                    committed = true;
                    return result;
                } finally {
                    if (!committed) {
                        rollback(c, operation);
                    }
                }
            } catch (Retry e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new StoreUnavailableException(
                            "metadata store could not " + operation + ": lost " + attempt + " races in a row");
                }
            } catch (SQLException e) {
                // No SQLState (e.g. the pool is closed) is not retryable; Set.of rejects contains(null).
                if (attempt >= MAX_ATTEMPTS || e.getSQLState() == null || !RETRYABLE_STATES.contains(e.getSQLState())) {
                    throw failure(operation, e);
                }
            }
        }
    }

    private void begin(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            // Explicit statements instead of setAutoCommit(false): sqlite-jdbc opens the next
            // transaction right after commit(), which would take the write lock again.
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    private void commit(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private void rollback(Connection c, String operation) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } else {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // The connection may still be inside a transaction: never hand it out again.
            LOG.warn("rollback after failed '{}' failed; discarding the connection: {}", operation, e.toString());
            dataSource.evictConnection(c);
        }
    }

    /**
     * No connection within the pool's wait: while every connection is in use that is load (503 with
     * a short Retry-After, nothing logged as an outage); otherwise the database does not answer.
     */
    private RuntimeException failure(String operation, SQLException e) {
        if (e instanceof SQLTransientConnectionException && dataSource.getHikariPoolMXBean() != null) {
            int active = dataSource.getHikariPoolMXBean().getActiveConnections();
            if (active >= dataSource.getMaximumPoolSize()) {
                return new OverloadedException(
                        "every database connection is busy (" + active + "); retry shortly", BUSY_RETRY_AFTER_SECONDS);
            }
        }
        return unavailable(operation, e);
    }

    static StoreUnavailableException unavailable(String operation, SQLException e) {
        return StorageFullException.classify("metadata store failed to " + operation, e);
    }

    // ---- binding and reading ----------------------------------------------------------------

    /** The statement for {@code sql} with {@code params} bound (reused per SQLite connection: {@link StatementCache}). */
    static BoundStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        BoundStatement ps = StatementCache.prepare(c, sql);
        try {
            for (int i = 0; i < params.length; i++) {
                bind(ps.statement(), i + 1, params[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.VARCHAR);
            case NullLong n -> ps.setNull(index, Types.BIGINT);
            case String s -> ps.setString(index, s);
            case Long l -> ps.setLong(index, l);
            case Integer i -> ps.setLong(index, i);
            case Boolean b -> ps.setBoolean(index, b);
            case Instant t -> ps.setLong(index, t.toEpochMilli());
            case byte[] b -> ps.setBytes(index, b);
            default -> throw new IllegalArgumentException("cannot bind " + value.getClass());
        }
    }

    /** A typed SQL NULL for BIGINT parameters (PostgreSQL wants the type). */
    enum NullLong {
        INSTANCE
    }

    static Object longOrNull(Long value) {
        return value == null ? NullLong.INSTANCE : value;
    }

    static Object millisOrNull(Instant value) {
        return value == null ? NullLong.INSTANCE : value;
    }

    /**
     * {@code t} as epoch milliseconds rounded up, for comparing stored millisecond times with a
     * bound of full precision: for a stored {@code m}, {@code m < ceilMillis(t)} exactly when the
     * instant {@code m} is before {@code t}, and {@code m >= ceilMillis(t)} when it is not.
     */
    static long ceilMillis(Instant t) {
        long millis = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (BoundStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        Long millis = getLong(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** SQLite: how many COMMITs the one writer has made (a metric; -1 on PostgreSQL). */
    long writeCommits() {
        return writeQueue == null ? -1 : writeQueue.commits();
    }

    /** SQLite: how many of those were fsynced (synchronous=FULL); -1 on PostgreSQL. */
    long durableWriteCommits() {
        return writeQueue == null ? -1 : writeQueue.durableCommits();
    }

    @Override
    public void close() {
        if (writeQueue != null) {
            writeQueue.close();
        }
        dataSource.close();
    }
}
