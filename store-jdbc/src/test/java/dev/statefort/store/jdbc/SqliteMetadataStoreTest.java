package dev.statefort.store.jdbc;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.store.tck.MetadataStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStores.sqlite(dir.resolve("data/statefort.db"));
    }
}
