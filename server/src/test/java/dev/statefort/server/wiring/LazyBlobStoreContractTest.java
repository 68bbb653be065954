package dev.statefort.server.wiring;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.store.tck.BlobStoreContract;

/** {@link LazyBlobStore} over an in-memory store, opened by the first call of each test. */
class LazyBlobStoreContractTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
        return new LazyBlobStore("memory", InMemoryBlobStore::new);
    }
}
