package dev.statefort.store.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.BucketField;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implements BlobStore on a Google Cloud Storage bucket through the JSON API: each key is the object
 * {@code prefix + key}.
 *
 * <p>A blob of at most {@code chunkSize} bytes goes up in one request (atomic by nature). A larger one
 * goes up as a resumable upload, chunk by chunk; GCS creates the object only when the upload is
 * finalized, which {@link WriteChannel#close()} does. So the channel is closed only after the whole
 * content was read and written; on any failure it is abandoned unfinalized (GCS drops the session after
 * a week) and the key never shows a partial blob.
 */
final class GcsBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(GcsBlobStore.class);

    /** Probe names contain '~', which no key may contain: a probe is never visible as a blob. */
    static final String PROBE_PREFIX = "~statefort-probe-";

    private static final String CONTENT_TYPE = "application/octet-stream";

    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;

    /** One retry, soon, and a bounded budget: a dead endpoint fails within seconds, not minutes. */
    static final RetrySettings RETRY = RetrySettings.newBuilder()
            .setMaxAttempts(2)
            .setInitialRetryDelayDuration(Duration.ofMillis(250))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(2))
            .setTotalTimeoutDuration(Duration.ofSeconds(20))
            .setInitialRpcTimeoutDuration(Duration.ofSeconds(30))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofSeconds(30))
            .build();

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int READ_TIMEOUT_MILLIS = 60_000;

    /** Resumable upload ids are capabilities: keep them out of messages. */
    private static final Pattern UPLOAD_ID = Pattern.compile("upload_id=[^&\\s\"']+");

    private final Storage storage;
    private final String bucket;
    private final String prefix;
    private final int chunkSize;

    private GcsBlobStore(Storage storage, GcsSettings settings) {
        this.storage = storage;
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.chunkSize = settings.chunkSize();
    }

    static GcsBlobStore open(GcsSettings settings) {
        GcsBlobStore store = new GcsBlobStore(client(settings), settings);
        if (settings.create()) {
            try {
                store.createBucketIfMissing();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }

    /**
     * The client every user of the settings' bucket goes through: its endpoint, credentials, retries
     * and timeouts. Makes no request.
     *
     * @throws StoreUnavailableException when the credentials cannot be loaded
     */
    static Storage client(GcsSettings settings) {
        HttpStorageOptions.Builder options = StorageOptions.http()
                .setRetrySettings(RETRY)
                // Every call of this store is idempotent (put writes the same bytes again), so
                // retrying uploads and deletes too is safe.
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy())
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setReadTimeout(READ_TIMEOUT_MILLIS)
                        .build());
        if (settings.project() != null) {
            options.setProjectId(settings.project());
        }
        if (settings.endpoint() != null) {
            options.setHost(stripTrailingSlash(settings.endpoint().toString()));
        }
        if (settings.anonymous()) {
            options.setCredentials(NoCredentials.getInstance());
        } else if (settings.credentialsFile() != null) {
            try (InputStream in = Files.newInputStream(settings.credentialsFile())) {
                options.setCredentials(GoogleCredentials.fromStream(in));
            } catch (IOException | RuntimeException e) {
                // The message names the file only: its content is a secret.
                throw new StoreUnavailableException(
                        "cannot load GCS credentials from " + settings.credentialsFile() + " for bucket "
                                + settings.bucket() + ": " + e.getClass().getSimpleName(),
                        e);
            }
        }
        // else: application default credentials, resolved by the client library.
        try {
            HttpStorageOptions built = options.build();
            if (!settings.anonymous() && built.getCredentials() == null) {
                LOG.warn(
                        "no credentials for GCS bucket {}: no application default credentials were found, so "
                                + "requests go unauthenticated (set a credentials file or GOOGLE_APPLICATION_CREDENTIALS)",
                        settings.bucket());
            }
            return built.getService();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "cannot set up the GCS client for bucket " + settings.bucket() + ": " + describe(e), e);
        }
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- BlobStore ------------------------------------------------------------------------

    @Override
    public long put(String key, InputStream content) throws IOException {
        BlobInfo info = blobInfo(objectName(key));
        // readNBytes(int) grows its buffer as bytes arrive: a small blob costs a small array.
        byte[] head = content.readNBytes(chunkSize);
        if (head.length < chunkSize) {
            return putInOneRequest(info, key, head);
        }
        int next = content.read();
        if (next < 0) {
            return putInOneRequest(info, key, head);
        }
        return putResumable(info, key, head, next, content);
    }

    /** Blobs are encrypted, so incompressible: uploads go as they are, never gzipped on the way. */
    private long putInOneRequest(BlobInfo info, String key, byte[] bytes) {
        try {
            storage.create(info, bytes, BlobTargetOption.disableGzipContent());
            return bytes.length;
        } catch (RuntimeException e) {
            throw failure("write", key, e);
        }
    }

    /**
     * Streams {@code head}, then {@code next}, then the rest of {@code content} through a resumable
     * upload; finalizes (closes the channel) only when all of it was read and written.
     */
    private long putResumable(BlobInfo info, String key, byte[] head, int next, InputStream content)
            throws IOException {
        WriteChannel writer;
        try {
            writer = storage.writer(info, BlobWriteOption.disableGzipContent());
            writer.setChunkSize(chunkSize);
        } catch (RuntimeException e) {
            throw failure("start a resumable upload of", key, e);
        }
        write(writer, ByteBuffer.wrap(head), key);
        write(writer, ByteBuffer.wrap(new byte[] {(byte) next}), key);
        long total = head.length + 1L;
        byte[] buffer = head;
        int n;
        // An IOException of content propagates as is and leaves the upload unfinalized.
        while ((n = content.read(buffer)) >= 0) {
            write(writer, ByteBuffer.wrap(buffer, 0, n), key);
            total += n;
        }
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            throw uploadFailure("finish the resumable upload of", key, e);
        }
        return total;
    }

    private void write(WriteChannel writer, ByteBuffer bytes, String key) {
        try {
            while (bytes.hasRemaining()) {
                if (writer.write(bytes) == 0 && bytes.hasRemaining()) {
                    // The channel accepts nothing once its upload has failed: never spin on it.
                    throw new StoreUnavailableException("GCS upload of " + where(key) + " stopped accepting bytes");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreUnavailableException unavailable) {
                throw unavailable;
            }
            throw uploadFailure("upload", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        BlobId id = BlobId.of(bucket, objectName(key));
        ReadChannel reader = null;
        try {
            reader = storage.reader(id);
            reader.setChunkSize(0); // unbuffered: the caller's reads size the transfers
            // The channel is lazy: read the first bytes now, so a missing blob shows here and not as
            // an exception (or an empty stream) later.
            ByteBuffer first = ByteBuffer.allocate(16 * 1024);
            int n = reader.read(first);
            first.flip();
            return new GcsInputStream(reader, first, n < 0, where(key));
        } catch (IOException | RuntimeException e) {
            GcsInputStream.closeQuietly(reader);
            if (status(e) == NOT_FOUND) {
                requireBucket(key);
                throw new BlobNotFoundException(key);
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public void delete(String key) {
        String name = objectName(key);
        boolean deleted;
        try {
            deleted = storage.delete(BlobId.of(bucket, name));
        } catch (RuntimeException e) {
            throw failure("delete", key, e);
        }
        if (!deleted) {
            requireBucket(key);
        }
    }

    @Override
    public boolean exists(String key) {
        String name = objectName(key);
        try {
            if (storage.get(BlobId.of(bucket, name), BlobGetOption.fields(BlobField.NAME)) != null) {
                return true;
            }
        } catch (RuntimeException e) {
            throw failure("look up", key, e);
        }
        requireBucket(key);
        return false;
    }

    @Override
    public void ping() {
        String probe = prefix + PROBE_PREFIX + UUID.randomUUID();
        requireBucket(probe);
        try {
            storage.create(blobInfo(probe), new byte[] {1}, BlobTargetOption.disableGzipContent());
            storage.delete(BlobId.of(bucket, probe));
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "GCS bucket " + bucket + " is not writable (probe object " + probe + "): " + describe(e), e);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            LOG.warn("closing the GCS client for bucket {} failed: {}", bucket, e.toString());
        }
    }

    @Override
    public String toString() {
        return "GcsBlobStore[gs://" + bucket + "/" + prefix + "]";
    }

    // ---- helpers --------------------------------------------------------------------------

    private String objectName(String key) {
        return prefix + BlobKeys.require(key);
    }

    private BlobInfo blobInfo(String name) {
        return BlobInfo.newBuilder(BlobId.of(bucket, name))
                .setContentType(CONTENT_TYPE)
                .build();
    }

    private String where(String key) {
        return "gs://" + bucket + "/" + prefix + key;
    }

    private void createBucketIfMissing() {
        try {
            if (storage.get(bucket, BucketGetOption.fields(BucketField.NAME)) != null) {
                return;
            }
            storage.create(BucketInfo.of(bucket));
            LOG.info("created GCS bucket {}", bucket);
        } catch (RuntimeException e) {
            if (status(e) == CONFLICT) {
                return; // created meanwhile by someone else
            }
            throw new StoreUnavailableException("cannot create GCS bucket " + bucket + ": " + describe(e), e);
        }
    }

    /**
     * A missing object in a missing bucket is an outage (a deleted bucket, a wrong name), never "not
     * found": this check tells the two apart after a miss.
     */
    private void requireBucket(String key) {
        boolean exists;
        try {
            exists = storage.get(bucket, BucketGetOption.fields(BucketField.NAME)) != null;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "cannot look up GCS bucket " + bucket + " (for " + key + "): " + describe(e), e);
        }
        if (!exists) {
            throw new StoreUnavailableException(
                    "GCS bucket " + bucket + " does not exist (for " + key + "); it is not created while running");
        }
    }

    private StoreUnavailableException failure(String operation, String key, Throwable e) {
        return new StoreUnavailableException(
                "GCS failed to " + operation + " blob " + where(key) + ": " + describe(e), e);
    }

    /**
     * Like {@link #failure} but without the SDK's exception as the cause: its messages carry the
     * session URI of the resumable upload, and whoever holds that URI can finish the upload with bytes
     * of their choosing. The message keeps the status and the first line of the reason.
     */
    private StoreUnavailableException uploadFailure(String operation, String key, Throwable e) {
        return new StoreUnavailableException("GCS failed to " + operation + " blob " + where(key) + ": " + describe(e));
    }

    /** The HTTP status of the first service exception in the cause chain, or 0. */
    static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BaseServiceException service) {
                return service.getCode();
            }
        }
        return 0;
    }

    /** A short reason: the status and message of the innermost service error or exception. */
    static String describe(Throwable e) {
        Throwable cause = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            cause = t;
            if (t instanceof BaseServiceException) {
                break;
            }
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        message = UPLOAD_ID.matcher(message.lines().findFirst().orElse("")).replaceAll("upload_id=<redacted>");
        int code = status(cause);
        return (code > 0 ? "HTTP " + code + " " : "") + cause.getClass().getSimpleName() + ": " + message;
    }
}
