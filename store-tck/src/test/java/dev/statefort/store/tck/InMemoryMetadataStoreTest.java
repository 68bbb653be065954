package dev.statefort.store.tck;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.memory.InMemoryMetadataStore;

class InMemoryMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected MetadataStore newStore() {
        return new InMemoryMetadataStore();
    }
}
