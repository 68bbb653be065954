package dev.statefort.store.tck;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;

class InMemoryBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
        return new InMemoryBlobStore();
    }
}
