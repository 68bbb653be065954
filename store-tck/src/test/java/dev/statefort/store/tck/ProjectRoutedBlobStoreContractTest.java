package dev.statefort.store.tck;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.core.storage.StorageProfiles.Profile;
import dev.statefort.core.testing.InMemoryBlobStore;
import java.util.List;
import java.util.Optional;

/**
 * The store the services use ({@link StorageProfiles#routedBy}) over two in-memory profiles: project
 * {@code p} on one, every other project on the other. Here rather than in core: this module depends
 * on core, so a core test depending on it would be a reactor cycle.
 */
class ProjectRoutedBlobStoreContractTest extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
        StorageProfiles profiles = new StorageProfiles(
                "local",
                List.of(
                        new Profile("local", "memory", "heap", new InMemoryBlobStore()),
                        new Profile("other", "memory", "heap", new InMemoryBlobStore())));
        return profiles.routedBy(project -> Optional.of(project.equals("p") ? "local" : "other"));
    }
}
