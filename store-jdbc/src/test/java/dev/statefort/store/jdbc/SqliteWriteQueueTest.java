package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.statefort.core.OverloadedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 points 1 and 2 on a real SQLite file: writes queue at one in-process writer (never
 * "database is locked"), the writes queued behind a batch share its next COMMIT, one failing write
 * is rolled back alone, and only a write that waited past the bound is refused (overload).
 */
class SqliteWriteQueueTest {
    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void open() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("q.db"));
        config.setDataSourceProperties(JdbcMetadataStores.sqliteProperties());
        config.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(config);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (name TEXT PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        dataSource.close();
    }

    private static Integer insert(Connection c, String name) throws java.sql.SQLException {
        return Sql.update(c, "INSERT INTO t (name) VALUES (?)", name);
    }

    private List<String> names() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM t ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Holds the writer inside a job until {@code release} opens; returns once it is held. */
    private Future<Integer> holdWriter(SqliteWriteQueue queue, CountDownLatch release) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        Future<Integer> blocker = pool.submit(() -> queue.write("hold", c -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return insert(c, "blocker");
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    @Test
    void manyConcurrentWritersAllSucceed() throws Exception {
        try (SqliteWriteQueue queue = new SqliteWriteQueue(dataSource, Duration.ofSeconds(30))) {
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String name = "n" + i;
                writes.add(pool.submit(() -> queue.write("insert", c -> insert(c, name))));
            }
            for (Future<Integer> w : writes) {
                assertThat(w.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(names()).hasSize(400);
            assertThat(queue.commits()).isLessThanOrEqualTo(400);
        }
    }

    @Test
    void writesQueuedBehindABatchShareOneCommit() throws Exception {
        try (SqliteWriteQueue queue = new SqliteWriteQueue(dataSource, Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            Future<Integer> blocker = holdWriter(queue, release);
            long before = queue.commits();
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "q" + i;
                queued.add(pool.submit(() -> queue.write("insert", c -> insert(c, name))));
            }
            awaitQueued(queue, 20);
            release.countDown();
            assertThat(blocker.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            for (Future<Integer> f : queued) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(queue.commits() - before)
                    .as("the blocker's COMMIT and one COMMIT for the 20 queued behind it")
                    .isEqualTo(2);
            assertThat(names()).hasSize(21);
        }
    }

    @Test
    void aFailingWriteInABatchIsRolledBackAloneAndItsCallerGetsTheError() throws Exception {
        try (SqliteWriteQueue queue = new SqliteWriteQueue(dataSource, Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            Future<Integer> blocker = holdWriter(queue, release);
            Future<Integer> a = pool.submit(() -> queue.write("a", c -> insert(c, "a")));
            awaitQueued(queue, 1);
            Future<Integer> b = pool.submit(() -> queue.write("b", c -> {
                insert(c, "b");
                throw new IllegalArgumentException("b changed its mind");
            }));
            awaitQueued(queue, 2);
            Future<Integer> dup = pool.submit(() -> queue.write("dup", c -> insert(c, "a")));
            awaitQueued(queue, 3);
            Future<Integer> d = pool.submit(() -> queue.write("d", c -> insert(c, "d")));
            awaitQueued(queue, 4);
            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);
            assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dup.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(dev.statefort.core.spi.StoreUnavailableException.class);
            assertThat(d.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(names()).containsExactly("a", "blocker", "d");
        }
    }

    @Test
    void onlyAWriteThatWaitedPastTheBoundIsRefusedAsOverload() throws Exception {
        try (SqliteWriteQueue queue = new SqliteWriteQueue(dataSource, Duration.ofMillis(300))) {
            CountDownLatch release = new CountDownLatch(1);
            Future<Integer> blocker = holdWriter(queue, release);
            assertThatThrownBy(() -> queue.write("late", c -> insert(c, "late")))
                    .isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("overloaded");
            release.countDown();
            assertThat(blocker.get(30, TimeUnit.SECONDS))
                    .as("the started write was waited for")
                    .isEqualTo(1);
            assertThat(names()).containsExactly("blocker");
            Integer after = queue.write("after", c -> insert(c, "after"));
            assertThat(after).isEqualTo(1);
        }
    }

    private static void awaitQueued(SqliteWriteQueue queue, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.queued() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(queue.queued()).isEqualTo(n);
    }
}
