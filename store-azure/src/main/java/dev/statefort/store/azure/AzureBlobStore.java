package dev.statefort.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implements BlobStore on one container of Azure Blob Storage; the key {@code k} is the block blob
 * {@code prefix + k}.
 *
 * <p>A put of at most one block is a single Put Blob request. A larger put stages blocks of {@code
 * blockSize} bytes (holding one block in memory at a time) and then commits the block list, which
 * is when the blob appears, whole. A put whose stream fails, or that fails itself, commits nothing:
 * the blocks it staged stay uncommitted, invisible to every read, and Azure discards them after
 * seven days (or as soon as any block list or Put Blob is committed to the same name). Block IDs
 * are a random per-put ID plus a counter, all of the same length, so concurrent puts never mix
 * blocks. Two concurrent block-list puts of the same name can still make the later commit fail
 * (Azure drops the other put's uncommitted blocks at the first commit); that one then throws
 * {@link StoreUnavailableException} and can be retried. Statefort never does it: it writes fresh
 * keys.
 *
 * <p>Every upload request carries a Content-MD5 that Azure checks, and the committed blob keeps the MD5 of
 * the whole content as its Content-MD5 property.
 */
final class AzureBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobStore.class);

    /** Probe names contain '~', which no key may contain: never visible as blobs. */
    static final String PROBE_PREFIX = "~statefort-ping-";

    /** Azure's limit on the number of blocks in a committed block list. */
    static final int MAX_BLOCKS = 50_000;

    /** Longest blob name Azure accepts. */
    private static final int MAX_NAME_LENGTH = 1024;

    private static final int FIRST_BUFFER = 64 * 1024;
    private static final int READ_CHUNK = 4 * 1024 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final BlobContainerClient container;
    private final String containerName;
    private final String prefix;
    private final int blockSize;
    private final Redactor redactor;
    private final ExecutorService httpExecutor;

    AzureBlobStore(
            BlobContainerClient container,
            String prefix,
            long blockSize,
            Redactor redactor,
            ExecutorService httpExecutor) {
        this.container = container;
        this.containerName = container.getBlobContainerName();
        this.prefix = prefix;
        this.blockSize = Math.toIntExact(blockSize);
        this.redactor = redactor;
        this.httpExecutor = httpExecutor;
    }

    /** Creates the container when it is missing. */
    void createContainerIfMissing() {
        try {
            if (container.createIfNotExists()) {
                LOG.info("created azure container {}", describeContainer());
            }
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "azure blob store cannot create " + describeContainer() + " (" + reason(e) + ")", e);
        }
    }

    // ---- put ------------------------------------------------------------------------------

    @Override
    public long put(String key, InputStream content) throws IOException {
        BlockBlobClient blob = blob(key).getBlockBlobClient();
        MessageDigest whole = md5();
        Block block = new Block(Math.min(FIRST_BUFFER, blockSize));
        block.fill(content, blockSize);
        if (block.last) {
            whole.update(block.bytes, 0, block.length);
            uploadWhole(blob, key, block, whole.digest());
            return block.length;
        }

        String putId = UUID.randomUUID().toString().replace("-", "");
        List<String> blockIds = new ArrayList<>();
        long total = 0;
        while (true) {
            if (blockIds.size() == MAX_BLOCKS) {
                throw new IllegalArgumentException("blob " + key + " is larger than " + MAX_BLOCKS + " blocks of "
                        + blockSize + " bytes; raise the azure blockSize setting");
            }
            String blockId = blockId(putId, blockIds.size());
            whole.update(block.bytes, 0, block.length);
            stage(blob, key, blockIds.size(), blockId, block);
            blockIds.add(blockId);
            total += block.length;
            if (block.last) {
                break;
            }
            block.fill(content, blockSize); // a stream failure propagates here: nothing is committed
        }
        commit(blob, key, blockIds, whole.digest());
        return total;
    }

    /**
     * Fixed width for every put: 32 hex digits of the put's random ID and a 6-digit counter, so all
     * block IDs under one name have the same length, as Azure requires.
     */
    static String blockId(String putId, int index) {
        String raw = putId + String.format(Locale.ROOT, "%06d", index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private void uploadWhole(BlockBlobClient blob, String key, Block block, byte[] md5) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(block.data())
                .setContentMd5(md5)
                .setHeaders(new BlobHttpHeaders().setContentType(CONTENT_TYPE));
        try {
            // No request conditions: replaces any blob under the name, in one atomic request.
            blob.uploadWithResponse(options, null, Context.NONE);
        } catch (RuntimeException e) {
            throw unavailable("put", key, e);
        }
    }

    private void stage(BlockBlobClient blob, String key, int index, String blockId, Block block) {
        BlockBlobStageBlockOptions options =
                new BlockBlobStageBlockOptions(blockId, block.data()).setContentMd5(block.md5());
        try {
            blob.stageBlockWithResponse(options, null, Context.NONE);
        } catch (RuntimeException e) {
            throw unavailable("put", key, "staging block " + index + ": ", e);
        }
    }

    private void commit(BlockBlobClient blob, String key, List<String> blockIds, byte[] md5) {
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(blockIds)
                .setHeaders(new BlobHttpHeaders().setContentType(CONTENT_TYPE).setContentMd5(md5));
        try {
            blob.commitBlockListWithResponse(options, null, Context.NONE);
        } catch (RuntimeException e) {
            throw unavailable("put", key, "committing " + blockIds.size() + " blocks: ", e);
        }
    }

    /** One block's bytes; the buffer grows up to the block size so that small blobs stay small. */
    private static final class Block {
        byte[] bytes;
        int length;
        /** Whether the stream ended within (or right after) this block. */
        boolean last;
        /** The first byte of the next block, read to learn whether this one is the last; or -1. */
        private int carry = -1;

        Block(int initialCapacity) {
            bytes = new byte[initialCapacity];
        }

        /**
         * Reads the next block: up to {@code blockSize} bytes. Reads one byte beyond a full block to
         * tell a stream that ends exactly there from one that goes on.
         */
        void fill(InputStream in, int blockSize) throws IOException {
            length = 0;
            if (carry >= 0) {
                bytes[length++] = (byte) carry;
                carry = -1;
            }
            while (true) {
                if (length == bytes.length) {
                    if (bytes.length == blockSize) {
                        carry = in.read();
                        last = carry < 0;
                        return;
                    }
                    bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, blockSize));
                }
                int n = in.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    last = true;
                    return;
                }
                length += n;
            }
        }

        BinaryData data() {
            return BinaryData.fromByteBuffer(ByteBuffer.wrap(bytes, 0, length).asReadOnlyBuffer());
        }

        byte[] md5() {
            MessageDigest md5 = AzureBlobStore.md5();
            md5.update(bytes, 0, length);
            return md5.digest();
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    // ---- open, exists, delete -------------------------------------------------------------

    @Override
    public InputStream open(String key) {
        BlobClient blob = blob(key);
        try {
            // Reads in chunks; every chunk is conditional on the ETag of the first, so a blob replaced
            // while it is read fails the read instead of mixing two versions.
            return blob.openInputStream(new BlobInputStreamOptions().setBlockSize(READ_CHUNK), Context.NONE);
        } catch (BlobStorageException e) {
            if (isBlobNotFound(e)) {
                throw new BlobNotFoundException(key);
            }
            throw unavailable("open", key, e);
        } catch (RuntimeException e) {
            throw unavailable("open", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        BlobClient blob = blob(key);
        try {
            blob.getPropertiesWithResponse(null, null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (isBlobNotFound(e)) {
                return false;
            }
            throw unavailable("check", key, e);
        } catch (RuntimeException e) {
            throw unavailable("check", key, e);
        }
    }

    @Override
    public void delete(String key) {
        BlobClient blob = blob(key);
        try {
            blob.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (BlobStorageException e) {
            if (!isBlobNotFound(e)) {
                throw unavailable("delete", key, e);
            }
        } catch (RuntimeException e) {
            throw unavailable("delete", key, e);
        }
    }

    /**
     * Only a 404 that says the blob is missing means "not found". A missing container (deleted, or
     * never created with {@code create=false}) is an outage, as is every other failure: the store
     * never answers "not found" for a container it cannot see.
     */
    private static boolean isBlobNotFound(BlobStorageException e) {
        return e.getStatusCode() == 404 && BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode());
    }

    // ---- health ---------------------------------------------------------------------------

    /** Writes and deletes a one-byte probe blob (a name no key can have) under the prefix. */
    @Override
    public void ping() {
        BlockBlobClient probe = container
                .getBlobClient(prefix + PROBE_PREFIX + UUID.randomUUID())
                .getBlockBlobClient();
        try {
            probe.upload(BinaryData.fromBytes(new byte[] {1}), true);
            probe.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "azure blob store cannot write to " + describeContainer() + " (" + reason(e) + ")", e);
        }
    }

    @Override
    public void close() {
        httpExecutor.shutdown();
    }

    @Override
    public String toString() {
        return "AzureBlobStore[" + container.getAccountName() + "/" + containerName + "/" + prefix + "]";
    }

    // ---- helpers --------------------------------------------------------------------------

    private BlobClient blob(String key) {
        BlobKeys.require(key);
        String name = prefix + key;
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid blob key: with the prefix it is longer than " + MAX_NAME_LENGTH
                    + " characters, the longest Azure blob name");
        }
        return container.getBlobClient(name);
    }

    private String describeContainer() {
        return "container '" + containerName + "' of account '" + container.getAccountName() + "'";
    }

    private StoreUnavailableException unavailable(String operation, String key, RuntimeException e) {
        return unavailable(operation, key, "", e);
    }

    private StoreUnavailableException unavailable(String operation, String key, String step, RuntimeException e) {
        return new StoreUnavailableException(
                "azure blob store failed to " + operation + " blob '" + key + "' in " + describeContainer() + " ("
                        + step + reason(e) + ")",
                e);
    }

    /**
     * A short reason without secrets: the HTTP status and Azure error code, or the chain of causes
     * (wrappers that only repeat their cause left out), e.g. {@code ConnectException <-
     * ClosedChannelException}.
     */
    private String reason(Throwable e) {
        return reason(e, redactor);
    }

    /** {@link #reason(Throwable)} with the secrets of {@code redactor} replaced. */
    static String reason(Throwable e, Redactor redactor) {
        if (e instanceof BlobStorageException bse) {
            String code = bse.getErrorCode() == null ? "" : " " + bse.getErrorCode();
            return "HTTP " + bse.getStatusCode() + code;
        }
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
            Throwable cause = t.getCause();
            String message = t.getMessage();
            boolean wrapper = cause != null
                    && t instanceof RuntimeException
                    && (message == null || message.equals(cause.toString()));
            if (!wrapper) {
                parts.add(t.getClass().getSimpleName() + (message == null ? "" : ": " + message));
            }
        }
        String reason = String.join(" <- ", parts);
        if (reason.length() > 400) {
            reason = reason.substring(0, 400) + "...";
        }
        return redactor.redact(reason);
    }
}
