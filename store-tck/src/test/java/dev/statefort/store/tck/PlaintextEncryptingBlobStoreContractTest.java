package dev.statefort.store.tck;

import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;

/**
 * {@link EncryptingBlobStore} with encryption off (a header, then the bytes as given), over an
 * in-memory store. Here rather than in core: this module depends on core (no reactor cycle).
 */
class PlaintextEncryptingBlobStoreContractTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
        return EncryptingBlobStore.plaintext(new InMemoryBlobStore());
    }
}
