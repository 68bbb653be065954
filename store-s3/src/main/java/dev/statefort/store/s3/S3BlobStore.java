package dev.statefort.store.s3;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Objects in one S3 bucket under a prefix. A blob up to one part is one PutObject; a larger one is a
 * multipart upload, streamed a part at a time and visible only once completed (aborted when the
 * content fails). Both are atomic, so a reader never sees part of a blob.
 */
final class S3BlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    private static final String PROBE_PREFIX = ".statefort-probe-";

    private final S3Client s3;
    private final S3Settings settings;

    S3BlobStore(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        String name = objectName(key);
        int partSize = (int) settings.partSize();
        byte[] first = content.readNBytes(partSize);
        if (first.length < partSize) {
            return putWhole(key, name, first);
        }
        int next = content.read();
        if (next < 0) {
            return putWhole(key, name, first);
        }
        return putInParts(key, name, first, next, content);
    }

    private long putWhole(String key, String name, byte[] bytes) {
        try {
            s3.putObject(put(name), RequestBody.fromBytes(bytes));
            return bytes.length;
        } catch (SdkException e) {
            throw unavailable("cannot write", key, e);
        }
    }

    private long putInParts(String key, String name, byte[] first, int next, InputStream content) throws IOException {
        CreateMultipartUploadRequest create = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(name)
                .serverSideEncryption(serverSideEncryption())
                .ssekmsKeyId(kmsKeyId())
                .build();
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(create).uploadId();
        } catch (SdkException e) {
            throw unavailable("cannot start a multipart upload of", key, e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = uploadPart(key, name, uploadId, parts, first);
            byte[] buffer = new byte[first.length];
            buffer[0] = (byte) next;
            while (true) {
                int n = 1 + content.readNBytes(buffer, 1, buffer.length - 1);
                total += uploadPart(key, name, uploadId, parts, n == buffer.length ? buffer : Arrays.copyOf(buffer, n));
                int more = n == buffer.length ? content.read() : -1;
                if (more < 0) {
                    break;
                }
                buffer[0] = (byte) more;
            }
            try {
                s3.completeMultipartUpload(r ->
                        r.bucket(settings.bucket()).key(name).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            } catch (SdkException e) {
                throw unavailable("cannot complete the multipart upload of", key, e);
            }
            completed = true;
            return total;
        } finally {
            if (!completed) {
                abortQuietly(key, name, uploadId);
            }
        }
    }

    private long uploadPart(String key, String name, String uploadId, List<CompletedPart> parts, byte[] bytes) {
        int number = parts.size() + 1;
        try {
            String etag = s3.uploadPart(
                            r -> r.bucket(settings.bucket())
                                    .key(name)
                                    .uploadId(uploadId)
                                    .partNumber(number),
                            RequestBody.fromBytes(bytes))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            return bytes.length;
        } catch (SdkException e) {
            throw unavailable("cannot upload part " + number + " of", key, e);
        }
    }

    private void abortQuietly(String key, String name, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(settings.bucket()).key(name).uploadId(uploadId));
        } catch (SdkException e) {
            // the bucket's lifecycle rule for incomplete multipart uploads removes the parts
            LOG.warn(
                    "could not abort the multipart upload of blob {} in {}: {}",
                    key,
                    settings.location(),
                    e.toString());
        }
    }

    @Override
    public InputStream open(String key) {
        String name = objectName(key);
        try {
            return s3.getObject(r -> r.bucket(settings.bucket()).key(name));
        } catch (NoSuchKeyException e) {
            requireBucket(key);
            throw new BlobNotFoundException(key);
        } catch (SdkException e) {
            throw unavailable("cannot read", key, e);
        }
    }

    @Override
    public void delete(String key) {
        String name = objectName(key);
        try {
            s3.deleteObject(r -> r.bucket(settings.bucket()).key(name));
        } catch (NoSuchKeyException e) {
            // already gone
        } catch (SdkException e) {
            throw unavailable("cannot delete", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        String name = objectName(key);
        try {
            s3.headObject(r -> r.bucket(settings.bucket()).key(name));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // a HEAD answer has no body, so a missing bucket looks like a missing key: ask
                requireBucket(key);
                return false;
            }
            throw unavailable("cannot look up", key, e);
        } catch (SdkException e) {
            throw unavailable("cannot look up", key, e);
        }
    }

    /** A missing bucket (deleted, or a wrong name) is the store being unavailable, never "no such blob". */
    private void requireBucket(String key) {
        try {
            s3.headBucket(r -> r.bucket(settings.bucket()));
        } catch (SdkException e) {
            throw unavailable("cannot look up (the bucket does not answer)", key, e);
        }
    }

    /** Writes and deletes a probe object: the bucket is reachable, the credentials valid and writing allowed. */
    @Override
    public void ping() {
        String probe = settings.prefix() + PROBE_PREFIX + UUID.randomUUID();
        try {
            s3.putObject(put(probe), RequestBody.fromBytes(new byte[] {1}));
            s3.deleteObject(r -> r.bucket(settings.bucket()).key(probe));
        } catch (SdkException e) {
            throw new StoreUnavailableException(
                    "S3 bucket " + settings.location() + " is not reachable or not writable: " + describe(e), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + settings.location() + "]";
    }

    private String objectName(String key) {
        return settings.prefix() + BlobKeys.require(key);
    }

    /** A PutObject of {@code name} with the server-side encryption the settings ask for. */
    private PutObjectRequest put(String name) {
        return PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(name)
                .serverSideEncryption(serverSideEncryption())
                .ssekmsKeyId(kmsKeyId())
                .build();
    }

    /** The SSE header's value; null (not sent) for {@link S3Settings.Sse#NONE}. */
    private ServerSideEncryption serverSideEncryption() {
        return switch (settings.sse()) {
            case NONE -> null;
            case S3 -> ServerSideEncryption.AES256;
            case KMS -> ServerSideEncryption.AWS_KMS;
        };
    }

    /** The KMS key under {@link S3Settings.Sse#KMS} (null: the bucket's default key); null otherwise. */
    private String kmsKeyId() {
        return settings.sse() == S3Settings.Sse.KMS ? settings.kmsKeyId() : null;
    }

    private StoreUnavailableException unavailable(String what, String key, SdkException e) {
        return new StoreUnavailableException(
                "S3 bucket " + settings.location() + ": " + what + " blob " + key + ": " + describe(e), e);
    }

    /** The SDK's message: the status and error code S3 sent, or the client-side cause (never a credential). */
    static String describe(SdkException e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode() + " "
                    + s3e.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
