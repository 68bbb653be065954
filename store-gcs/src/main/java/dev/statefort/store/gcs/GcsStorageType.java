package dev.statefort.store.gcs;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storagetype.ImportOptions;
import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageOptionException;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.core.transfer.StateSource;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code gcs}: a Google Cloud Storage bucket, through the JSON API; {@code store-gcs}. */
public final class GcsStorageType implements StorageType<GcsSettings>, StorageType.Import<GcsSettings> {
    public static final GcsStorageType TYPE = new GcsStorageType();

    public static final StorageKey<String> BUCKET = StorageKey.text("bucket");
    public static final StorageKey<String> PROJECT = StorageKey.text("project");
    public static final StorageKey<URI> ENDPOINT = StorageKey.url("endpoint");
    public static final StorageKey<Path> CREDENTIALS_FILE = StorageKey.readableFile("credentials-file");
    public static final StorageKey<Long> CHUNK_SIZE = StorageKey.size("chunk-size", "8MiB");

    private static final List<StorageKey<?>> KEYS = List.of(
            StorageKey.TYPE,
            StorageKey.PREFIX,
            StorageKey.CREATE,
            BUCKET,
            PROJECT,
            ENDPOINT,
            CREDENTIALS_FILE,
            CHUNK_SIZE);

    private GcsStorageType() {}

    @Override
    public String name() {
        return "gcs";
    }

    @Override
    public List<StorageKey<?>> keys() {
        return KEYS;
    }

    @Override
    public GcsSettings read(ProfileReader r) {
        String bucket = r.get(BUCKET);
        if (bucket == null) {
            return r.needs(BUCKET, "");
        }
        Path credentials = r.get(CREDENTIALS_FILE);
        long chunkSize = r.get(CHUNK_SIZE);
        if (chunkSize > Integer.MAX_VALUE) {
            r.problem(r.where(CHUNK_SIZE) + " must be below 2GiB");
            return null;
        }
        return r.build(() -> new GcsSettings(
                bucket,
                r.get(StorageKey.PREFIX),
                r.get(PROJECT),
                r.get(ENDPOINT),
                credentials,
                false,
                r.get(StorageKey.CREATE),
                (int) chunkSize));
    }

    @Override
    public BlobStore open(GcsSettings settings) {
        return GcsBlobStores.open(settings);
    }

    @Override
    public GcsSettings withoutCreate(GcsSettings settings) {
        return settings.withCreate(false);
    }

    @Override
    public String location(GcsSettings settings) {
        return "gs://" + settings.bucket() + "/" + settings.prefix()
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
    }

    @Override
    public Optional<Import<GcsSettings>> importer() {
        return Optional.of(this);
    }

    @Override
    public String option() {
        return "--from-gcs";
    }

    @Override
    public GcsSettings sourceSettings(String where, ImportOptions options, Supplier<GcsSettings> profile) {
        URI url = URI.create(where);
        if (!"gs".equals(url.getScheme()) || url.getHost() == null) {
            throw new StorageOptionException("--from-gcs takes gs://BUCKET/PREFIX, not " + url);
        }
        String prefix = Import.folder(url.getPath());
        try {
            GcsSettings base = profile.get();
            if (base != null) {
                return base.withBucket(url.getHost()).withPrefix(prefix).withCreate(false);
            }
            return GcsSettings.of(url.getHost())
                    .withPrefix(prefix)
                    .withEndpoint(options.endpoint())
                    .withCredentialsFile(options.credentialsFile())
                    .withAnonymous(options.anonymous());
        } catch (IllegalArgumentException e) {
            throw new StorageOptionException("--from-gcs: " + e.getMessage());
        }
    }

    @Override
    public StateSource openSource(GcsSettings settings, ImportOptions options) {
        return GcsStateSource.open(settings);
    }

    @Override
    public String toString() {
        return name();
    }
}
