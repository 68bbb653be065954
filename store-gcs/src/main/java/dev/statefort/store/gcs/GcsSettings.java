package dev.statefort.store.gcs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how a {@link GcsBlobStores#open GCS blob store} keeps its blobs.
 *
 * @param bucket the bucket (required)
 * @param prefix prepended to every key to form the object name: {@code ""} or ending in {@code /}
 * @param project the GCP project id; {@code null} takes it from the environment (ADC)
 * @param endpoint the JSON API endpoint; {@code null} is the real {@code https://storage.googleapis.com}
 * @param credentialsFile a service-account or external-account (workload identity federation) JSON
 *     file; {@code null} uses application default credentials
 * @param anonymous send no credentials at all (for emulators and tests only)
 * @param create create the bucket when the store is opened if it is missing
 * @param chunkSize a blob larger than this goes up as a resumable upload in chunks of this size; a
 *     positive multiple of 256 KiB
 */
public record GcsSettings(
        String bucket,
        String prefix,
        String project,
        URI endpoint,
        Path credentialsFile,
        boolean anonymous,
        boolean create,
        int chunkSize) {

    /** Resumable upload chunks must be multiples of this (a GCS rule). */
    public static final int CHUNK_ALIGNMENT = 256 * 1024;

    public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

    public GcsSettings {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isBlank() || bucket.contains("/")) {
            throw new IllegalArgumentException("invalid GCS bucket name: '" + bucket + "'");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException(
                    "GCS prefix must be empty or end with '/' (and not start with '/' or contain '//'): '" + prefix
                            + "'");
        }
        if (project != null && project.isBlank()) {
            project = null;
        }
        if (anonymous && credentialsFile != null) {
            throw new IllegalArgumentException("GCS settings: anonymous and a credentials file exclude each other");
        }
        if (chunkSize <= 0 || chunkSize % CHUNK_ALIGNMENT != 0) {
            throw new IllegalArgumentException(
                    "GCS chunk size must be a positive multiple of 256 KiB (262144 bytes), got " + chunkSize);
        }
    }

    /** Settings for {@code bucket} with defaults: no prefix, ADC, no bucket creation, 8 MiB chunks. */
    public static GcsSettings of(String bucket) {
        return new GcsSettings(bucket, "", null, null, null, false, false, DEFAULT_CHUNK_SIZE);
    }

    public GcsSettings withBucket(String bucket) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withPrefix(String prefix) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withProject(String project) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withEndpoint(URI endpoint) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withCredentialsFile(Path credentialsFile) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withAnonymous(boolean anonymous) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withCreate(boolean create) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    public GcsSettings withChunkSize(int chunkSize) {
        return new GcsSettings(bucket, prefix, project, endpoint, credentialsFile, anonymous, create, chunkSize);
    }

    /** The endpoint without user info (an endpoint URL is never the place for a secret, but still). */
    String endpointForDisplay() {
        if (endpoint == null) {
            return "https://storage.googleapis.com";
        }
        if (endpoint.getRawUserInfo() == null) {
            return endpoint.toString();
        }
        try {
            return new URI(
                            endpoint.getScheme(),
                            null,
                            endpoint.getHost(),
                            endpoint.getPort(),
                            endpoint.getPath(),
                            null,
                            null)
                    .toString();
        } catch (URISyntaxException e) {
            return endpoint.getScheme() + "://" + endpoint.getHost();
        }
    }

    /** Names the credentials file by its path only; never prints what it holds. */
    @Override
    public String toString() {
        return "GcsSettings[bucket=" + bucket + ", prefix=" + prefix + ", project=" + project + ", endpoint="
                + endpointForDisplay() + ", credentials="
                + (anonymous ? "none (anonymous)" : credentialsFile != null ? "file " + credentialsFile : "ADC")
                + ", create=" + create + ", chunkSize=" + chunkSize + "]";
    }
}
