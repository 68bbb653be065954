package dev.statefort.core.state;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.io.Digests;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one {@link StateService#write} it hands off: store the body while inspecting it,
 * make the version record, and turn the commit's result into the client's outcome, deleting a blob
 * that did not become a version ({@link DestructiveWriteQuarantine} takes the write the guard refuses).
 */
final class VersionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StateService.class);

    /** Bodies up to this size are read into memory and stored in one pass on the request's thread. */
    static final int IN_MEMORY_BYTES = 4 * 1024 * 1024;

    private final BlobStore blobs;
    /** The blob store's encoding, to encode a body in memory; null for a bare store (some unit tests). */
    private final EncryptingBlobStore encoder;

    private final long maxStateBytes;
    /** A body whose sealed blob is at most about this size is kept in the database with its version (0: none). */
    private final int smallStateBytes;

    private final Clock clock;
    private final StateAuditTrail trail;

    VersionWriter(BlobStore blobs, long maxStateBytes, int smallStateBytes, Clock clock, StateAuditTrail trail) {
        this.smallStateBytes = smallStateBytes;
        this.blobs = blobs;
        this.encoder = blobs instanceof EncryptingBlobStore e ? e : null;
        this.maxStateBytes = maxStateBytes;
        this.clock = clock;
        this.trail = trail;
    }

    /**
     * Stores the body of a write to {@code key} and inspects it on the way: size limit, SHA-256, the
     * MD5 when the client sent one, and the parse. A body of at most {@link #IN_MEMORY_BYTES} is read
     * into memory and handled in one pass on this thread (compressed and encrypted in memory); when
     * its sealed bytes are small (the node's {@code small-state-max-size}) they are not stored at all yet but
     * returned, to be kept in the database in the same transaction as the version row. A larger body
     * streams into the blob store of {@code placement}. Nothing is left behind on failure.
     */
    StoredBody store(StateKey key, String placement, InputStream body, long declaredLength, byte[] expectedMd5)
            throws IOException {
        int budget = InMemoryBodies.reserve(declaredLength);
        if (budget == 0) {
            return stream(onProfile(key, placement), body, expectedMd5);
        }
        try {
            byte[] bytes = declaredLength >= 0 ? readExactly(body, (int) declaredLength) : body.readNBytes(budget + 1);
            if (bytes.length > maxStateBytes) {
                throw new StateTooLargeException(maxStateBytes);
            }
            if (bytes.length > budget) {
                // longer than announced, or no length announced and long: stream it, these bytes first
                InputStream whole = new SequenceInputStream(new ByteArrayInputStream(bytes), body);
                return stream(onProfile(key, placement), whole, expectedMd5);
            }
            return inMemory(key, placement, bytes, expectedMd5);
        } finally {
            InMemoryBodies.release(budget);
        }
    }

    /** A fresh key for a blob of {@code key} on the storage profile {@code placement}. */
    private static String onProfile(StateKey key, String placement) {
        return BlobKeys.newStateBlob(key.project(), key.name(), placement);
    }

    /**
     * The announced {@code length} bytes into one array of that size (no chunks copied together);
     * a body that goes on past them (never with a Content-Length) comes back one byte longer, so the
     * caller streams it.
     */
    private static byte[] readExactly(InputStream body, int length) throws IOException {
        byte[] bytes = new byte[length];
        int n = body.readNBytes(bytes, 0, length);
        if (n < length) {
            return Arrays.copyOf(bytes, n);
        }
        int next = body.read();
        if (next < 0) {
            return bytes;
        }
        byte[] longer = Arrays.copyOf(bytes, length + 1);
        longer[length] = (byte) next;
        return longer;
    }

    private StoredBody inMemory(StateKey key, String placement, byte[] body, byte[] expectedMd5) throws IOException {
        StateSummary summary = StateBodyParser.parse(body, body.length);
        if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, Digests.md5(body))) {
            throw new InvalidInputException("Content-MD5 does not match the body");
        }
        String sha256 = Digests.sha256Hex(body);
        if (encoder == null) {
            String blobKey = onProfile(key, placement);
            blobs.put(blobKey, new ByteArrayInputStream(body));
            return new StoredBody(blobKey, body.length, sha256, summary, null, body);
        }
        EncryptingBlobStore.Compressed compressed = encoder.compress(body, body.length);
        if (compressed.sealedSize() <= smallStateBytes) {
            String blobKey = BlobKeys.newDatabaseBlob(key.project(), key.name());
            return new StoredBody(blobKey, body.length, sha256, summary, encoder.seal(blobKey, compressed), body);
        }
        String blobKey = onProfile(key, placement);
        byte[] sealed = encoder.seal(blobKey, compressed);
        try {
            encoder.putSealed(blobKey, sealed);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(blobKey);
            throw e;
        }
        return new StoredBody(blobKey, body.length, sha256, summary, null, body);
    }

    /** Streams the body into the blob store under {@code blobKey}, inspected on the way. */
    private StoredBody stream(String blobKey, InputStream body, byte[] expectedMd5) throws IOException {
        InspectedBody inspected = new InspectedBody(body, maxStateBytes, expectedMd5 != null);
        try {
            blobs.put(blobKey, inspected);
            StateSummary summary = inspected.summary();
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, inspected.md5())) {
                throw new InvalidInputException("Content-MD5 does not match the body");
            }
            return new StoredBody(blobKey, inspected.size(), inspected.sha256Hex(), summary, null, null);
        } catch (BodyTooLargeException e) {
            blobs.delete(blobKey);
            throw new StateTooLargeException(maxStateBytes);
        } catch (IOException | RuntimeException e) {
            inspected.abandon();
            deleteQuietly(blobKey);
            throw e;
        }
    }

    /**
     * Before a write the guard may quarantine: a small blob not stored yet is kept in the database on
     * its own (the quarantine row refers to it), and the commit then has nothing more to store.
     */
    StoredBody keep(StoredBody stored) throws IOException {
        if (stored.pendingSmallBlob() == null) {
            return stored;
        }
        encoder.putSealed(stored.blobKey(), stored.pendingSmallBlob());
        return stored.kept();
    }

    NewVersion newVersion(StoredBody stored, String principal, List<String> findings, java.time.Instant createdAt) {
        StateSummary summary = stored.summary();
        return new NewVersion(
                stored.blobKey(),
                summary.serial(),
                summary.lineage(),
                stored.sha256Hex(),
                stored.size(),
                principal,
                createdAt == null ? clock.instant() : createdAt,
                summary.resourceCount(),
                summary.terraformVersion(),
                findings);
    }

    /**
     * What the commit (or the fast path before the upload, with no blob yet: {@code blobKey} null)
     * means for the client, audited once here; the new blob is deleted when it did not become a version.
     */
    WriteOutcome outcome(StateKey key, Principal actor, StoredBody stored, AuditEvent writeEvent, CommitResult result) {
        return switch (result) {
            case CommitResult.Committed committed -> {
                VersionRecord v = committed.version();
                committed.prunedBlobKeys().forEach(this::deleteQuietly);
                LOG.debug("state {} version {} written: {} bytes by {}", key, v.number(), v.size(), actor.name());
                trail.written(writeEvent, v);
                yield new WriteOutcome.Written(v);
            }
            case CommitResult.LockedBy locked -> {
                discard(stored);
                trail.writeRefusedByLock(actor, key, locked.holder().id());
                yield new WriteOutcome.Locked(locked.holder());
            }
            case CommitResult.Fenced fenced -> {
                discard(stored);
                trail.writeRefusedByExpiry(actor, key, fenced.expired().id());
                LOG.info(
                        "state {}: refused a write under expired lock {}",
                        key,
                        fenced.expired().id());
                yield new WriteOutcome.Fenced(fenced.expired());
            }
        };
    }

    /** Deletes the blob of a body that did not become a version (null: none was stored). */
    void discard(StoredBody stored) {
        if (stored == null || stored.pendingSmallBlob() != null) {
            return; // nothing stored: a small blob is only written with its commit
        }
        try {
            blobs.delete(stored.blobKey());
        } catch (RuntimeException e) {
            LOG.warn("could not delete unreferenced blob {}: {}", stored.blobKey(), e.toString());
        }
    }

    /**
     * Deletes a blob whose version the store removed (retention, a state's deletion). A blob kept in
     * the database went in the same transaction as its version: nothing to do.
     */
    void deleteQuietly(String blobKey) {
        if (blobKey == null || BlobKeys.isInDatabase(blobKey)) {
            return;
        }
        try {
            blobs.delete(blobKey);
        } catch (RuntimeException e) {
            LOG.warn("could not delete unreferenced blob {}: {}", blobKey, e.toString());
        }
    }

    static byte[] decodeMd5(String contentMd5) {
        if (contentMd5 == null || contentMd5.isBlank()) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(contentMd5.trim());
            if (md5.length != 16) {
                throw new InvalidInputException("Content-MD5 must be the base64 of a 16-byte MD5 digest");
            }
            return md5;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Content-MD5 is not valid base64");
        }
    }
}
