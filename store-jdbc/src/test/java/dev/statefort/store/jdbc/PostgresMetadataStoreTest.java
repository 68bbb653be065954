package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.store.tck.MetadataStoreContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL 17 (embedded); one server per class, one fresh schema per test. */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private String schema;
    private String url;

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

    @Override
    protected MetadataStore newStore() throws Exception {
        schema = "t" + SCHEMAS.incrementAndGet();
        execute("CREATE SCHEMA " + schema);
        url = postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
        return JdbcMetadataStores.postgres(url, "postgres", "postgres", 8);
    }

    @Test
    void twoNodesOnOneDatabaseNeverBothWinALockNorShareAVersionNumber() throws Exception {
        try (MetadataStore secondNode = JdbcMetadataStores.postgres(url, "postgres", "postgres", 8)) {
            TwoNodes.neverBothWinALockNorShareAVersionNumber(store, secondNode);
        }
    }

    @Test
    void twoNodesGrantPlanLocksTogetherButNeverBesideAnExclusiveLock() throws Exception {
        try (MetadataStore secondNode = JdbcMetadataStores.postgres(url, "postgres", "postgres", 8)) {
            TwoNodes.grantPlanLocksTogetherButNeverBesideAnExclusiveLock(store, secondNode);
        }
    }

    /**
     * Paging over a project's versions follows String order even where the database's collation
     * does not (ICU en-US sorts "a" before "B"). Skipped when the PostgreSQL build lacks ICU.
     */
    @Test
    void projectVersionsFollowStringOrderUnderALocaleCollation() throws Exception {
        String db = "icu_" + SCHEMAS.incrementAndGet();
        try {
            execute("CREATE DATABASE " + db
                    + " TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no ICU collation in this PostgreSQL build: " + e.getMessage());
        }
        try {
            String dbUrl = postgres.getJdbcUrl("postgres", db);
            try (MetadataStore icu = JdbcMetadataStores.postgres(dbUrl, "postgres", "postgres", 2)) {
                icu.createProject("p", Instant.EPOCH);
                for (String name : List.of("a.b", "a", "B")) {
                    icu.commitVersion(VersionCommit.of(
                            new StateKey("p", name),
                            new NewVersion(
                                    "k-" + name, 1L, "l", "00", 1, "w", Instant.EPOCH, null, null, java.util.List.of()),
                            null));
                }
                List<String> walked = new ArrayList<>();
                List<VersionRecord> page = icu.listProjectVersions("p", null, null, 1);
                for (int i = 0; i < 10 && !page.isEmpty(); i++) {
                    VersionRecord last = page.getLast();
                    walked.add(last.key().name());
                    page = icu.listProjectVersions("p", last.key().name(), last.number(), 1);
                }
                assertThat(walked).containsExactly("B", "a", "a.b");
            }
        } finally {
            execute("DROP DATABASE " + db);
        }
    }

    /** Issue 25: existing aliases get the maker their created_by names (see {@link AliasMakerUpgrade}). */
    @Test
    void aVersionEightDatabasesAliasesGetTheirMakers() throws Exception {
        String old = "v8_" + SCHEMAS.incrementAndGet();
        execute("CREATE SCHEMA " + old);
        try {
            String oldUrl = postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + old;
            AliasMakerUpgrade.version8WithAliases(oldUrl, "postgres", "postgres");
            try (MetadataStore upgraded = JdbcMetadataStores.postgres(oldUrl, "postgres", "postgres", 2)) {
                AliasMakerUpgrade.assertMakers(upgraded);
            }
        } finally {
            execute("DROP SCHEMA " + old + " CASCADE");
        }
    }

    @Override
    protected void cleanup(MetadataStore store) throws Exception {
        store.close();
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
