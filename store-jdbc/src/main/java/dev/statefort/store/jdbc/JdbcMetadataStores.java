package dev.statefort.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;

/**
 * Opens {@link MetadataStore}s on SQLite or PostgreSQL. Each call creates a connection pool and
 * brings the schema up to date (Flyway, {@code db/migration}); close the store to close the pool.
 */
public final class JdbcMetadataStores {
    /** How long SQLite waits for another writer before failing with "database is locked". */
    public static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    private static final int SQLITE_POOL_SIZE = 8;
    /** How long a write waits for its turn at the one SQLite writer before 503. */
    public static final Duration DEFAULT_SQLITE_WRITE_WAIT = Duration.ofSeconds(10);

    private static final int DEFAULT_POSTGRES_POOL_SIZE = 10;
    /** How long a request waits for a PostgreSQL connection before 503. */
    static final long POSTGRES_CONNECTION_WAIT_MILLIS = 3_000;
    /** How long one statement may wait for the PostgreSQL server's answer. */
    static final int POSTGRES_SOCKET_TIMEOUT_SECONDS = 120;

    private JdbcMetadataStores() {}

    /**
     * The embedded default: one SQLite file (WAL, synchronous=FULL, foreign keys on). The parent
     * directory is created if needed.
     *
     * @throws StoreUnavailableException when the file cannot be opened or migrated
     */
    public static MetadataStore sqlite(Path dbFile) {
        return sqlite(dbFile, DEFAULT_SQLITE_WRITE_WAIT);
    }

    /**
     * The embedded default, with how long a write may wait for its turn at the one writer before it
     * is refused as overload (503 + Retry-After).
     */
    public static MetadataStore sqlite(Path dbFile, Duration maxWriteWait) {
        Path file = dbFile.toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the directory of the SQLite database " + file, e);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("statefort-sqlite");
        config.setDriverClassName("org.sqlite.JDBC");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setDataSourceProperties(sqliteProperties());
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        config.setConnectionTimeout(SQLITE_BUSY_TIMEOUT_MILLIS + 5_000L);
        return open(config, Sql.Dialect.SQLITE, "SQLite database " + file, maxWriteWait);
    }

    /** Bytes of the database file a connection reads through memory mapping instead of read calls. */
    static final long SQLITE_MMAP_BYTES = 256L * 1024 * 1024;

    /**
     * Applied by sqlite-jdbc to every new connection: WAL, synchronous=FULL (an acknowledged write
     * survives power loss), foreign keys, busy timeout; reads through a memory map (a reader's page
     * cache starts empty after every write of another connection, and a read call per page cost more
     * than the query); no {@code SELECT last_insert_rowid()} after every INSERT (the store never asks
     * for generated keys).
     */
    static Properties sqliteProperties() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(SQLITE_MMAP_BYTES));
        sqlite.setGetGeneratedKeys(false);
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
        return sqlite.toProperties();
    }

    /** PostgreSQL with a pool of {@value #DEFAULT_POSTGRES_POOL_SIZE} connections. */
    public static MetadataStore postgres(String jdbcUrl, String user, String password) {
        return postgres(jdbcUrl, user, password, DEFAULT_POSTGRES_POOL_SIZE);
    }

    /**
     * PostgreSQL at {@code jdbcUrl} ({@code jdbc:postgresql://host:5432/db}); the schema lives in the
     * connection's current schema.
     *
     * @throws StoreUnavailableException when the database cannot be reached or migrated
     */
    public static MetadataStore postgres(String jdbcUrl, String user, String password, int maxPoolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("PostgreSQL JDBC URL must start with jdbc:postgresql:");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("statefort-postgres");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        // A request waits at most this long for a connection: with the database stopped, clients get
        // 503 + Retry-After within seconds instead of piling up (DatabaseOutageTest); the driver's own
        // connect attempt is bounded the same way.
        config.setConnectionTimeout(POSTGRES_CONNECTION_WAIT_MILLIS);
        config.addDataSourceProperty("connectTimeout", String.valueOf(POSTGRES_CONNECTION_WAIT_MILLIS / 1000));
        // a database that stops answering without closing its sockets fails a statement after this
        // long instead of holding the request (and its connection) forever
        config.addDataSourceProperty("socketTimeout", String.valueOf(POSTGRES_SOCKET_TIMEOUT_SECONDS));
        return open(config, Sql.Dialect.POSTGRES, "PostgreSQL database", null);
    }

    private static MetadataStore open(HikariConfig config, Sql.Dialect dialect, String what, Duration maxWriteWait) {
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to the " + what, e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot bring the schema of the " + what + " up to date", e);
        }
        return new JdbcMetadataStore(
                dialect == Sql.Dialect.SQLITE ? Sql.sqlite(dataSource, maxWriteWait) : new Sql(dataSource, dialect));
    }
}
