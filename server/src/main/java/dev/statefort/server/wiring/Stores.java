package dev.statefort.server.wiring;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.store.fs.FileSystemBlobStores;
import dev.statefort.store.jdbc.JdbcMetadataStores;

/** The one place where configuration picks store implementations. */
final class Stores {
    private Stores() {}

    static MetadataStore openMetadata(ServerConfig config) {
        return switch (config.databaseKind()) {
            case SQLITE -> JdbcMetadataStores.sqlite(config.sqliteFile(), config.databaseWriteWait());
            case POSTGRESQL ->
                JdbcMetadataStores.postgres(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        };
    }

    static BlobStore openBlobs(ServerConfig config) {
        return switch (config.blobStoreType()) {
            case FILESYSTEM -> FileSystemBlobStores.open(config.blobDir());
        };
    }
}
