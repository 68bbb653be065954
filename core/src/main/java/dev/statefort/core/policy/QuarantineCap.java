package dev.statefort.core.policy;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what the destructive-write guard keeps per state: at most {@code maxCount} quarantined
 * writes and {@code maxBytes} of them, so refused writes repeated in a loop cannot fill the disk.
 * Over either bound the oldest are dropped first (the newest one is always kept, whatever its size);
 * each drop is audited as {@code quarantine.drop}. Idempotent: two nodes or two refused writes
 * enforcing at once drop each write at most once.
 */
public final class QuarantineCap {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineCap.class);

    public static final int DEFAULT_MAX_COUNT = 20;
    public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final AuditService audit;
    private final int maxCount;
    private final long maxBytes;

    /** @param maxCount at least 1 */
    public QuarantineCap(MetadataStore metadata, BlobStore blobs, AuditService audit, int maxCount, long maxBytes) {
        if (maxCount < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the quarantine keeps at least one write of at least one byte");
        }
        this.metadata = metadata;
        this.blobs = blobs;
        this.audit = audit;
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** Drops the oldest quarantined writes of {@code key} beyond the bounds; returns their IDs. */
    public List<Long> enforce(StateKey key) {
        List<QuarantineRecord> newestFirst = metadata.listQuarantine(key);
        List<Long> dropped = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < newestFirst.size(); i++) {
            QuarantineRecord q = newestFirst.get(i);
            bytes += q.version().size();
            boolean keep = i == 0 || (i < maxCount && bytes <= maxBytes);
            if (!keep && metadata.deleteQuarantine(key, q.id()).isPresent()) {
                deleteQuietly(q.version().blobKey());
                dropped.add(q.id());
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info(
                    "state {}: dropped the oldest quarantined writes {} (the quarantine keeps {} writes, {} bytes)",
                    key,
                    dropped,
                    maxCount,
                    maxBytes);
            audit.record(
                    Principal.system(),
                    AuditAction.QUARANTINE_DROP,
                    key,
                    Map.of("quarantineIds", dropped, "maxCount", maxCount, "maxBytes", maxBytes));
        }
        return dropped;
    }

    private void deleteQuietly(String blobKey) {
        try {
            blobs.delete(blobKey);
        } catch (RuntimeException e) {
            LOG.warn("could not delete the blob {} of a dropped quarantined write: {}", blobKey, e.toString());
        }
    }
}
