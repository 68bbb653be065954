package dev.statefort.store.gcs;

import dev.statefort.core.spi.BlobStore;

/** Opens {@link BlobStore}s on Google Cloud Storage. */
public final class GcsBlobStores {
    private GcsBlobStores() {}

    /**
     * Opens a blob store on the bucket of {@code settings}; each key is the object {@code prefix + key}.
     * Talks to GCS only when {@link GcsSettings#create()} asks for the bucket to be created: otherwise a
     * missing bucket or an unreachable GCS shows in {@link BlobStore#ping()} and in every operation.
     *
     * @throws dev.statefort.core.spi.StoreUnavailableException when the credentials cannot be loaded or
     *     the bucket cannot be created
     */
    public static BlobStore open(GcsSettings settings) {
        return GcsBlobStore.open(settings);
    }
}
