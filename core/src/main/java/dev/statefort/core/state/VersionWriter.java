package dev.statefort.core.state;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
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

    private final BlobStore blobs;
    private final long maxStateBytes;
    private final Clock clock;
    private final StateAuditTrail trail;

    VersionWriter(BlobStore blobs, long maxStateBytes, Clock clock, StateAuditTrail trail) {
        this.blobs = blobs;
        this.maxStateBytes = maxStateBytes;
        this.clock = clock;
        this.trail = trail;
    }

    /** Streams the body into the blob store under {@code blobKey}, inspected on the way; nothing is left behind on failure. */
    InspectedBody store(String blobKey, InputStream body, byte[] expectedMd5) throws IOException {
        InspectedBody inspected = new InspectedBody(body, maxStateBytes, expectedMd5 != null);
        try {
            blobs.put(blobKey, inspected);
            inspected.summary();
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, inspected.md5())) {
                throw new InvalidInputException("Content-MD5 does not match the body");
            }
            return inspected;
        } catch (BodyTooLargeException e) {
            blobs.delete(blobKey);
            throw new StateTooLargeException(maxStateBytes);
        } catch (IOException | RuntimeException e) {
            inspected.abandon();
            deleteQuietly(blobKey);
            throw e;
        }
    }

    NewVersion newVersion(
            String blobKey,
            InspectedBody inspected,
            StateSummary summary,
            String principal,
            List<String> findings,
            java.time.Instant createdAt) {
        return new NewVersion(
                blobKey,
                summary.serial(),
                summary.lineage(),
                inspected.sha256Hex(),
                inspected.size(),
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
    WriteOutcome outcome(StateKey key, Principal actor, String blobKey, AuditEvent writeEvent, CommitResult result) {
        return switch (result) {
            case CommitResult.Committed committed -> {
                VersionRecord v = committed.version();
                committed.prunedBlobKeys().forEach(this::deleteQuietly);
                LOG.info("state {} version {} written: {} bytes by {}", key, v.number(), v.size(), actor.name());
                trail.written(writeEvent, v);
                yield new WriteOutcome.Written(v);
            }
            case CommitResult.LockedBy locked -> {
                deleteQuietly(blobKey);
                trail.writeRefusedByLock(actor, key, locked.holder().id());
                yield new WriteOutcome.Locked(locked.holder());
            }
            case CommitResult.Fenced fenced -> {
                deleteQuietly(blobKey);
                trail.writeRefusedByExpiry(actor, key, fenced.expired().id());
                LOG.info(
                        "state {}: refused a write under expired lock {}",
                        key,
                        fenced.expired().id());
                yield new WriteOutcome.Fenced(fenced.expired());
            }
        };
    }

    void deleteQuietly(String blobKey) {
        if (blobKey == null) {
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
