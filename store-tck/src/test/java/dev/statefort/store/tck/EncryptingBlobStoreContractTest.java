package dev.statefort.store.tck;

import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.MasterKeyHolder;
import dev.statefort.core.crypto.ProjectKeyRing;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EncryptingBlobStore} with encryption on, over an in-memory store. Here rather than in core:
 * this module depends on core, so a core test depending on it would be a reactor cycle.
 */
class EncryptingBlobStoreContractTest extends BlobStoreContract {
    @TempDir
    Path keys;

    @Override
    protected BlobStore newStore() {
        KeyFileMasterKeySource master = new KeyFileMasterKeySource(keys.resolve("master.key"));
        master.createIfMissing();
        ProjectKeyRing ring =
                new ProjectKeyRing(new InMemoryMetadataStore(), new MasterKeyHolder(master), Clock.systemUTC());
        return new EncryptingBlobStore(new InMemoryBlobStore(), ring, false);
    }
}
