package dev.statefort.store.s3;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storagetype.ImportOptions;
import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageOptionException;
import dev.statefort.core.storagetype.StorageType;
import dev.statefort.core.transfer.StateSource;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code s3}: Amazon S3 or an S3-compatible store (MinIO, Ceph, R2, s3proxy); {@code store-s3}. */
public final class S3StorageType implements StorageType<S3Settings>, StorageType.Import<S3Settings> {
    public static final S3StorageType TYPE = new S3StorageType();

    public static final StorageKey<String> BUCKET = StorageKey.text("bucket");
    public static final StorageKey<String> REGION = StorageKey.text("region");
    public static final StorageKey<URI> ENDPOINT = StorageKey.url("endpoint");
    public static final StorageKey<Boolean> PATH_STYLE = StorageKey.onOffOrUnset("path-style");
    public static final StorageKey<String> ACCESS_KEY_ID = StorageKey.text("access-key-id");
    public static final StorageKey<String> SECRET_ACCESS_KEY = StorageKey.text("secret-access-key");
    public static final StorageKey<String> SESSION_TOKEN = StorageKey.text("session-token");
    public static final StorageKey<S3Settings.Sse> SSE =
            StorageKey.choice("sse", S3Settings.Sse.class, S3Settings.Sse.NONE);
    public static final StorageKey<String> KMS_KEY_ID = StorageKey.text("kms-key-id");
    public static final StorageKey<S3Settings.Checksums> CHECKSUMS =
            StorageKey.choice("checksums", S3Settings.Checksums.class, null);
    public static final StorageKey<Long> PART_SIZE = StorageKey.size("part-size", "8MiB");

    private static final List<StorageKey<?>> KEYS = List.of(
            StorageKey.TYPE,
            StorageKey.PREFIX,
            StorageKey.CREATE,
            BUCKET,
            REGION,
            ENDPOINT,
            PATH_STYLE,
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            SESSION_TOKEN,
            SSE,
            KMS_KEY_ID,
            CHECKSUMS,
            PART_SIZE);

    private S3StorageType() {}

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public List<StorageKey<?>> keys() {
        return KEYS;
    }

    @Override
    public S3Settings read(ProfileReader r) {
        String bucket = r.get(BUCKET);
        if (bucket == null) {
            return r.needs(BUCKET, "");
        }
        URI endpoint = r.get(ENDPOINT);
        String keyId = r.get(ACCESS_KEY_ID);
        String secret = r.get(SECRET_ACCESS_KEY);
        if ((keyId == null) != (secret == null)) {
            r.problem("storage profile '" + r.profile() + "': " + r.key(ACCESS_KEY_ID) + " and "
                    + r.key(SECRET_ACCESS_KEY)
                    + " go together (or set neither to use the SDK's default credentials:"
                    + " environment, web identity / IRSA, instance profile)");
            return null;
        }
        String token = r.get(SESSION_TOKEN);
        if (token != null && keyId == null) {
            r.problem(r.where(SESSION_TOKEN) + " needs " + r.key(ACCESS_KEY_ID) + " and " + r.key(SECRET_ACCESS_KEY));
        }
        S3Settings.Sse sse = r.get(SSE);
        String kmsKeyId = r.get(KMS_KEY_ID);
        if (kmsKeyId != null && sse != S3Settings.Sse.KMS) {
            r.problem(r.where(KMS_KEY_ID) + " needs " + r.key(SSE) + " = kms");
        }
        S3Settings.Checksums checksums = r.get(CHECKSUMS);
        Boolean pathStyle = r.get(PATH_STYLE);
        long partSize = r.get(PART_SIZE);
        if (partSize < S3Settings.MIN_PART_SIZE || partSize > S3Settings.MAX_PART_SIZE) {
            r.problem(r.where(PART_SIZE) + " must be from 5MiB (S3's smallest part) to 512MiB");
            return null;
        }
        return r.build(() -> S3Settings.builder(bucket)
                .prefix(r.get(StorageKey.PREFIX))
                .region(r.get(REGION))
                .endpoint(endpoint)
                .pathStyle(pathStyle)
                .credentials(keyId, secret)
                .sessionToken(token)
                .sse(sse)
                .kmsKeyId(kmsKeyId)
                .checksums(checksums)
                .create(r.get(StorageKey.CREATE))
                .partSize(partSize)
                .build());
    }

    @Override
    public BlobStore open(S3Settings settings) {
        return S3BlobStores.open(settings);
    }

    @Override
    public S3Settings withoutCreate(S3Settings settings) {
        return settings.withCreate(false);
    }

    @Override
    public String location(S3Settings settings) {
        return settings.location();
    }

    @Override
    public Optional<Import<S3Settings>> importer() {
        return Optional.of(this);
    }

    @Override
    public String option() {
        return "--from-s3";
    }

    @Override
    public S3Settings sourceSettings(String where, ImportOptions options, Supplier<S3Settings> profile) {
        URI url = URI.create(where);
        if (!"s3".equals(url.getScheme()) || url.getHost() == null) {
            throw new StorageOptionException("--from-s3 takes s3://BUCKET/PREFIX, not " + url);
        }
        String prefix = Import.folder(url.getPath());
        S3Settings base = profile.get();
        if (base != null) {
            return base.toBuilder()
                    .bucket(url.getHost())
                    .prefix(prefix)
                    .create(false)
                    .build();
        }
        String keyId = options.accessKeyId() != null ? options.accessKeyId() : options.env("AWS_ACCESS_KEY_ID");
        String secret =
                options.secretAccessKey() != null ? options.secretAccessKey() : options.env("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || secret == null) {
            keyId = null; // the SDK's default chain (profiles, web identity, instance roles)
            secret = null;
        }
        try {
            return S3Settings.builder(url.getHost())
                    .prefix(prefix)
                    .region(options.region())
                    .endpoint(options.endpoint())
                    .pathStyle(options.pathStyle())
                    .credentials(keyId, secret)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new StorageOptionException("--from-s3: " + e.getMessage());
        }
    }

    @Override
    public StateSource openSource(S3Settings settings, ImportOptions options) {
        return S3StateSource.open(settings, options.versions());
    }

    @Override
    public String toString() {
        return name();
    }
}
