package dev.statefort.server.metrics;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.store.fs.FileSystemBlobStores;
import dev.statefort.store.tck.BlobStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link MeteredBlobStore} over a file system store, as the node wraps every profile's store. */
class MeteredBlobStoreContractTest extends BlobStoreContract {
    @TempDir
    Path root;

    private final NodeMetrics metrics = new NodeMetrics();

    @Override
    protected BlobStore newStore() {
        return new MeteredBlobStore(FileSystemBlobStores.open(root.resolve("blobs")), "disk", metrics);
    }

    @Override
    protected void cleanup(BlobStore store) {
        store.close();
        metrics.close();
    }
}
