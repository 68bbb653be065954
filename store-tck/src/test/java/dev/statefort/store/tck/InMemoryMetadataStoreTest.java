package dev.statefort.store.tck;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.testing.InMemoryMetadataStore;

class InMemoryMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected MetadataStore newStore() {
        return new InMemoryMetadataStore();
    }
}
