package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.spi.MetadataStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4, the database half: a snapshot read in one transaction loads into an empty
 * database of either kind with every row equal (SQLite to PostgreSQL and back), a load refuses a
 * database that is not empty, and a table neither kept nor left out stops a snapshot.
 */
class DatabaseSnapshotsTest {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sqliteToPostgresAndBackKeepsEveryRow() throws Exception {
        String sqlite = "jdbc:sqlite:" + tmp.resolve("a.db");
        try (MetadataStore store = JdbcMetadataStores.sqlite(tmp.resolve("a.db"))) {
            populate(store);
        }
        Map<String, DatabaseSnapshots.Table> original = snapshot(sqlite, null);
        assertThat(original.get("versions").rows()).hasSize(3);
        assertThat(original.get("users").rows()).hasSize(1);

        String pg = newPostgresSchema();
        JdbcMetadataStores.postgres(pg, "postgres", "postgres", 2).close();
        load(pg, "postgres", original);
        Map<String, DatabaseSnapshots.Table> inPostgres = snapshot(pg, "postgres");
        assertSameRows(inPostgres, original);

        Path back = tmp.resolve("b.db");
        JdbcMetadataStores.sqlite(back).close();
        load("jdbc:sqlite:" + back, null, inPostgres);
        assertSameRows(snapshot("jdbc:sqlite:" + back, null), original);

        try (MetadataStore restored = JdbcMetadataStores.sqlite(back)) {
            assertThat(restored.findLock(new StateKey("p", "s1")))
                    .as("the lock, its LockInfo bytes and holder")
                    .hasValueSatisfying(l -> assertThat(l.info().id()).isEqualTo("lock-1"));
            assertThat(restored.access().findUser("alice"))
                    .hasValueSatisfying(u -> assertThat(u.mustChangePassword()).isTrue());
        }
    }

    @Test
    void onSqliteAWriteCommittedWhileTheSnapshotIsReadIsNotInIt() throws Exception {
        try (MetadataStore store = JdbcMetadataStores.sqlite(tmp.resolve("live.db"))) {
            assertAWriteDuringTheReadIsLeftOut("jdbc:sqlite:" + tmp.resolve("live.db"), null, store);
        }
    }

    @Test
    void onPostgresAWriteCommittedWhileTheSnapshotIsReadIsNotInIt() throws Exception {
        String pg = newPostgresSchema();
        try (MetadataStore store = JdbcMetadataStores.postgres(pg, "postgres", "postgres", 2)) {
            assertAWriteDuringTheReadIsLeftOut(pg, "postgres", store);
        }
    }

    /**
     * Between reading {@code states} and {@code versions}, another connection commits a fourth
     * version: the snapshot has neither it nor a head pointing at it (one consistent read).
     */
    private static void assertAWriteDuringTheReadIsLeftOut(String url, String user, MetadataStore store)
            throws Exception {
        populate(store);
        StateKey key = new StateKey("p", "s1");
        DatabaseSnapshots.Collector snapshot = new DatabaseSnapshots.Collector() {
            @Override
            public void table(String name, List<String> columns) {
                if (name.equals("versions")) {
                    store.commitVersion(VersionCommit.of(
                            key,
                            new NewVersion("p/s1/4", 4L, "lin", "ab4", 14, "bob", Instant.now(), null, null, List.of()),
                            "lock-1"));
                }
                super.table(name, columns);
            }
        };
        try (Connection c = DatabaseSnapshots.connect(url, user, user)) {
            DatabaseSnapshots.read(c, snapshot);
        }
        Map<String, DatabaseSnapshots.Table> tables = snapshot.tables();
        assertThat(store.headVersion(key))
                .hasValueSatisfying(v -> assertThat(v.number()).isEqualTo(4));
        assertThat(tables.get("versions").rows())
                .as("the version committed meanwhile is not in the snapshot")
                .hasSize(3);
        DatabaseSnapshots.Table states = tables.get("states");
        assertThat(((Number) states.rows().getFirst()[states.column("head_version")]).longValue())
                .as("the snapshot's head is a version it holds")
                .isEqualTo(3);
    }

    @Test
    void theSearchIndexIsRebuiltAfterARestoreAndOutputsReadersAreKept() throws Exception {
        StateKey key = new StateKey("p", "s1");
        try (MetadataStore store = JdbcMetadataStores.sqlite(tmp.resolve("indexed.db"))) {
            populate(store);
            long head = store.headVersion(key).orElseThrow().number();
            store.replaceIndex(new dev.statefort.core.model.StateIndex(
                    key,
                    head,
                    dev.statefort.core.model.StateIndex.Status.INDEXED,
                    List.of(new dev.statefort.core.model.IndexedInstance(
                            "aws_s3_bucket.logs",
                            "aws_s3_bucket",
                            "",
                            "managed",
                            "",
                            java.util.Map.of("id", "acme"),
                            "aws_s3_bucket id=acme"))));
            store.addConsumerReads(List.of(new dev.statefort.core.model.ConsumerRead(
                    key,
                    "token:r",
                    "outputs-token",
                    Instant.parse("2026-12-01T10:00:00Z"),
                    Instant.parse("2026-12-01T11:00:00Z"),
                    4)));
            assertThat(store.findUnindexed(10)).isEmpty();
        }
        Map<String, DatabaseSnapshots.Table> snapshot = snapshot("jdbc:sqlite:" + tmp.resolve("indexed.db"), null);
        assertThat(snapshot).doesNotContainKeys("index_entries", "index_terms");
        Path back = tmp.resolve("restored.db");
        JdbcMetadataStores.sqlite(back).close();
        load("jdbc:sqlite:" + back, null, snapshot);
        try (MetadataStore restored = JdbcMetadataStores.sqlite(back)) {
            assertThat(restored.findUnindexed(10))
                    .as("the index is not in the backup: every state is indexed again from its head")
                    .containsExactly(key);
            assertThat(restored.listConsumers(key)).singleElement().satisfies(c -> assertThat(c.reads())
                    .isEqualTo(4));
        }
    }

    @Test
    void aLoadRefusesADatabaseThatIsNotEmpty() throws Exception {
        String sqlite = "jdbc:sqlite:" + tmp.resolve("full.db");
        try (MetadataStore store = JdbcMetadataStores.sqlite(tmp.resolve("full.db"))) {
            populate(store);
        }
        Map<String, DatabaseSnapshots.Table> snapshot = snapshot(sqlite, null);
        assertThatThrownBy(() -> load(sqlite, null, snapshot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not empty");
    }

    @Test
    void aTableNeitherKeptNorLeftOutStopsTheSnapshot() throws Exception {
        String sqlite = "jdbc:sqlite:" + tmp.resolve("extra.db");
        JdbcMetadataStores.sqlite(tmp.resolve("extra.db")).close();
        try (Connection c = DatabaseSnapshots.connect(sqlite, null, null);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE brand_new (id TEXT)");
        }
        assertThatThrownBy(() -> snapshot(sqlite, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("brand_new");
    }

    private static void populate(MetadataStore store) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        store.createProject("p", t);
        StateKey key = new StateKey("p", "s1");
        for (int i = 1; i <= 3; i++) {
            store.commitVersion(VersionCommit.of(
                    key,
                    new NewVersion("p/s1/" + i, (long) i, "lin", "ab" + i, 10 + i, "alice", t, null, null, List.of()),
                    null));
        }
        byte[] info = "{\"ID\":\"lock-1\",\"Operation\":\"OperationTypeApply\"}".getBytes(StandardCharsets.UTF_8);
        store.tryLock(key, new LockRequest(LockInfo.parse(info), "token:x", t));
        store.access().createUser(new UserRecord("u1", "alice", "$argon2id$hash", false, true, t, null));
    }

    private String newPostgresSchema() throws Exception {
        String schema = "snap" + SCHEMAS.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
    }

    private static Map<String, DatabaseSnapshots.Table> snapshot(String url, String user) throws Exception {
        DatabaseSnapshots.Collector snapshot = new DatabaseSnapshots.Collector();
        try (Connection c = DatabaseSnapshots.connect(url, user, user)) {
            DatabaseSnapshots.read(c, snapshot);
        }
        return snapshot.tables();
    }

    private static void load(String url, String user, Map<String, DatabaseSnapshots.Table> tables) throws Exception {
        try (Connection c = DatabaseSnapshots.connect(url, user, user)) {
            DatabaseSnapshots.load(c, DatabaseSnapshots.schemaVersion(c), DatabaseSnapshots.Source.of(tables));
        }
    }

    /** Same rows in every table, whatever their order; a boolean equals its SQLite 0 or 1. */
    private static void assertSameRows(
            Map<String, DatabaseSnapshots.Table> actual, Map<String, DatabaseSnapshots.Table> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, table) -> {
            assertThat(rowsAsText(actual.get(name), table.columns()))
                    .as("rows of " + name)
                    .containsExactlyInAnyOrderElementsOf(rowsAsText(table, table.columns()));
        });
    }

    private static List<String> rowsAsText(DatabaseSnapshots.Table table, List<String> columns) {
        List<String> rows = new ArrayList<>();
        for (Object[] row : table.rows()) {
            StringBuilder text = new StringBuilder();
            for (String column : columns) {
                Object v = row[table.columns().indexOf(column)];
                text.append(column).append('=');
                text.append(
                        switch (v) {
                            case null -> "null";
                            case Boolean b -> b ? "1" : "0";
                            case byte[] bytes -> Arrays.toString(bytes);
                            default -> v.toString();
                        });
                text.append(';');
            }
            rows.add(text.toString());
        }
        return rows;
    }
}
