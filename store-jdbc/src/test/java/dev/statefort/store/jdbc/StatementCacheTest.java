package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27 point 2 on a real SQLite file in WAL mode: a query's statement is prepared once per
 * connection and reused, a reused statement holds no read snapshot between uses (it sees the other
 * connections' writes and never holds back a checkpoint), and a closed connection's statements are
 * forgotten.
 */
class StatementCacheTest {
    @TempDir
    Path dir;

    private HikariDataSource dataSource;

    @BeforeEach
    void open() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("c.db"));
        config.setDataSourceProperties(JdbcMetadataStores.sqliteProperties());
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (name TEXT PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static int count(Connection c) throws Exception {
        try (BoundStatement ps = Sql.prepare(c, "SELECT count(*) FROM t WHERE name <> ?", "")) {
            ResultSet rs = ps.executeQuery(); // closed by the statement, as a caller may forget to
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aQueryIsPreparedOncePerConnectionAndReused() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            java.sql.PreparedStatement first;
            try (BoundStatement ps = Sql.prepare(c, "SELECT name FROM t WHERE name = ?", "a")) {
                first = ps.statement();
                ps.executeQuery().close();
            }
            try (BoundStatement ps = Sql.prepare(c, "SELECT name FROM t WHERE name = ?", "b")) {
                assertThat(ps.statement()).isSameAs(first);
                assertThat(ps.statement().isClosed()).isFalse();
            }
            try (BoundStatement ps = Sql.prepare(c, "SELECT count(*) FROM t")) {
                assertThat(ps.statement()).isNotSameAs(first);
            }
        }
    }

    @Test
    void aReusedStatementSeesOtherWritesAndHoldsNoSnapshot() throws Exception {
        try (Connection reader = dataSource.getConnection();
                Connection writer = dataSource.getConnection()) {
            assertThat(count(reader)).isZero();
            Sql.update(writer, "INSERT INTO t (name) VALUES (?)", "x");
            assertThat(count(reader)).isEqualTo(1);
            // a statement left open would keep its snapshot: the checkpoint could not reset the WAL
            try (Statement s = writer.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("checkpoint busy").isZero();
            }
            Sql.update(writer, "INSERT INTO t (name) VALUES (?)", "y");
            assertThat(count(reader)).isEqualTo(2);
        }
    }

    @Test
    void closedConnectionsAreForgotten() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            count(c);
        }
        assertThat(StatementCache.connections()).isPositive();
        dataSource.close();
        assertThat(StatementCache.connections()).isZero();
    }
}
