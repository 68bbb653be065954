package dev.statefort.store.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Where and how an {@link S3BlobStores#open S3 blob store} keeps its objects.
 *
 * @param bucket the bucket (required)
 * @param prefix prepended to every key inside the bucket: {@code ""} or ending in {@code /}
 * @param region the signing region; null takes the SDK's region chain (environment, profile, instance
 *     metadata), or {@code us-east-1} with a custom endpoint. Never forced to {@code auto}: R2 wants
 *     {@code auto}, regional AWS endpoints want their region, so it is the operator's to set.
 * @param endpoint null for AWS; the URL of an S3-compatible store (MinIO, Ceph, R2, s3proxy)
 * @param pathStyle {@code bucket} in the path instead of the host name; null: true with a custom
 *     endpoint (what MinIO and s3proxy need), false on AWS
 * @param accessKeyId static credentials; null uses the SDK's default chain (environment, web identity
 *     / IRSA, container and instance profile)
 * @param secretAccessKey secret of {@code accessKeyId}
 * @param sessionToken optional session token of temporary static credentials
 * @param sse server-side encryption asked for on every object
 * @param kmsKeyId the KMS key for {@link Sse#KMS} (null: the bucket's default key)
 * @param checksums when the SDK adds request checksums; null: {@link Checksums#WHEN_REQUIRED} with a
 *     custom endpoint (S3-compatible stores reject the SDK's newer default CRC32 trailers), {@link
 *     Checksums#ALWAYS} on AWS
 * @param create create the bucket when it is missing at start
 * @param partSize bytes per part: a blob larger than one part goes up as a multipart upload (at least
 *     5 MiB, S3's minimum part size)
 */
public record S3Settings(
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        Boolean pathStyle,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        Sse sse,
        String kmsKeyId,
        Checksums checksums,
        boolean create,
        long partSize) {
    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

    /** The largest part: one is held in memory per upload. */
    public static final long MAX_PART_SIZE = 512L * 1024 * 1024;

    private static final java.util.regex.Pattern BUCKET =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Server-side encryption. */
    public enum Sse {
        NONE,
        S3,
        KMS
    }

    /** When request checksums are sent: {@code when-required} or {@code always} (the SDK's "when supported"). */
    public enum Checksums {
        WHEN_REQUIRED,
        ALWAYS
    }

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end in '/': " + prefix);
        }
        sse = sse == null ? Sse.NONE : sse;
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException(
                    "part-size must be from 5MiB (S3's smallest part) to 512MiB (one part is held in memory)");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket must be an S3 bucket name (3 to 63 lower-case letters, digits,"
                    + " dots and hyphens, starting and ending with a letter or digit), not '" + bucket + "'");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("access-key-id and secret-access-key go together");
        }
    }

    /** A bucket on AWS with the SDK's credentials and region chains, no prefix, 8 MiB parts. */
    public static S3Settings of(String bucket) {
        return builder(bucket).build();
    }

    /** Settings for {@code bucket} built by name, each unset one at the default of {@link #of}. */
    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** A builder holding these settings, to change some of them by name. */
    public Builder toBuilder() {
        return new Builder(bucket)
                .prefix(prefix)
                .region(region)
                .endpoint(endpoint)
                .pathStyle(pathStyle)
                .credentials(accessKeyId, secretAccessKey)
                .sessionToken(sessionToken)
                .sse(sse)
                .kmsKeyId(kmsKeyId)
                .checksums(checksums)
                .create(create)
                .partSize(partSize);
    }

    public S3Settings withPrefix(String newPrefix) {
        return toBuilder().prefix(newPrefix).build();
    }

    /** An S3-compatible store at {@code url} in {@code signingRegion} with static credentials. */
    public S3Settings withEndpoint(URI url, String signingRegion, String keyId, String secret) {
        return toBuilder()
                .endpoint(url)
                .region(signingRegion)
                .credentials(keyId, secret)
                .build();
    }

    public S3Settings withCreate(boolean createBucket) {
        return toBuilder().create(createBucket).build();
    }

    public S3Settings withPartSize(long bytes) {
        return toBuilder().partSize(bytes).build();
    }

    public S3Settings withPathStyle(Boolean path) {
        return toBuilder().pathStyle(path).build();
    }

    public S3Settings withChecksums(Checksums mode) {
        return toBuilder().checksums(mode).build();
    }

    /**
     * Builds {@link S3Settings} by name (the record has thirteen components); {@link #build()} checks
     * them as the record's constructor does.
     */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private String region;
        private URI endpoint;
        private Boolean pathStyle;
        private String accessKeyId;
        private String secretAccessKey;
        private String sessionToken;
        private Sse sse = Sse.NONE;
        private String kmsKeyId;
        private Checksums checksums;
        private boolean create;
        private long partSize = DEFAULT_PART_SIZE;

        private Builder(String bucket) {
            this.bucket = bucket;
        }

        public Builder bucket(String name) {
            this.bucket = name;
            return this;
        }

        public Builder prefix(String keyPrefix) {
            this.prefix = keyPrefix;
            return this;
        }

        public Builder region(String signingRegion) {
            this.region = signingRegion;
            return this;
        }

        public Builder endpoint(URI url) {
            this.endpoint = url;
            return this;
        }

        public Builder pathStyle(Boolean path) {
            this.pathStyle = path;
            return this;
        }

        /** Static credentials; both null for the SDK's default chain. */
        public Builder credentials(String keyId, String secret) {
            this.accessKeyId = keyId;
            this.secretAccessKey = secret;
            return this;
        }

        public Builder sessionToken(String token) {
            this.sessionToken = token;
            return this;
        }

        public Builder sse(Sse encryption) {
            this.sse = encryption;
            return this;
        }

        public Builder kmsKeyId(String keyId) {
            this.kmsKeyId = keyId;
            return this;
        }

        public Builder checksums(Checksums mode) {
            this.checksums = mode;
            return this;
        }

        public Builder create(boolean createBucket) {
            this.create = createBucket;
            return this;
        }

        public Builder partSize(long bytes) {
            this.partSize = bytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is wrong */
        public S3Settings build() {
            return new S3Settings(
                    bucket,
                    prefix,
                    region,
                    endpoint,
                    pathStyle,
                    accessKeyId,
                    secretAccessKey,
                    sessionToken,
                    sse,
                    kmsKeyId,
                    checksums,
                    create,
                    partSize);
        }
    }

    /** Path-style addressing as it will be used. */
    public boolean effectivePathStyle() {
        return pathStyle != null ? pathStyle : endpoint != null;
    }

    /** Checksum mode as it will be used. */
    public Checksums effectiveChecksums() {
        return checksums != null ? checksums : endpoint != null ? Checksums.WHEN_REQUIRED : Checksums.ALWAYS;
    }

    /** {@code s3://bucket/prefix} (and the endpoint when not AWS): where the objects are, with no secret. */
    public String location() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
    }

    @Override
    public String toString() {
        return "S3Settings[" + location() + ", region=" + region + ", pathStyle=" + effectivePathStyle()
                + ", credentials=" + (accessKeyId == null ? "default chain" : "static key " + accessKeyId)
                + (sessionToken == null ? "" : " with session token ***") + ", sse=" + sse
                + (kmsKeyId == null ? "" : " (" + kmsKeyId + ")") + ", checksums=" + effectiveChecksums()
                + ", create=" + create + ", partSize=" + partSize + "]";
    }
}
