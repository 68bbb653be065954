package dev.statefort.store.jdbc;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.store.tck.MetadataStoreContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
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
