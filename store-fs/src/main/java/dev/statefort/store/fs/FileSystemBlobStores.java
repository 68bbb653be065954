package dev.statefort.store.fs;

import dev.statefort.core.spi.BlobStore;
import java.nio.file.Path;
import java.time.Duration;

/** Opens {@link BlobStore}s on the local file system. */
public final class FileSystemBlobStores {
    /** Temp files of interrupted writes older than this are removed when a store is opened. */
    public static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

    private FileSystemBlobStores() {}

    /**
     * Opens (creating it if needed) a blob store under {@code root}; each key is a file below it.
     * Removes temp files older than {@link #STALE_TEMP_AGE} left by interrupted writes.
     *
     * @throws dev.statefort.core.spi.StoreUnavailableException when the directory cannot be created
     *     or read
     */
    public static BlobStore open(Path root) {
        return FileSystemBlobStore.open(root, STALE_TEMP_AGE);
    }
}
