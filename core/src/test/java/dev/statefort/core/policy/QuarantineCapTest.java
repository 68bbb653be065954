package dev.statefort.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 10 point 7: refused writes repeated in a loop cannot fill the disk. */
class QuarantineCapTest {
    private static final StateKey KEY = new StateKey("p", "s");

    private InMemoryMetadataStore metadata;
    private InMemoryBlobStore blobs;
    private AuditService audit;

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        blobs = new InMemoryBlobStore();
        metadata.createProject("p", Instant.EPOCH);
        audit = new AuditService(metadata, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    private QuarantineRecord refused(int n, long size) throws Exception {
        String blobKey = "p/s/q" + n;
        blobs.put(blobKey, new ByteArrayInputStream(new byte[(int) size]));
        return metadata.quarantine(
                KEY,
                new NewVersion(blobKey, (long) n, "l", "aa", size, "t", Instant.ofEpochSecond(n), 0, null, null),
                null,
                List.of("removes-all-resources"));
    }

    private List<Long> ids() {
        return metadata.listQuarantine(KEY).stream().map(QuarantineRecord::id).toList();
    }

    @Test
    void overTheCountTheOldestAreDroppedWithTheirBlobs() throws Exception {
        QuarantineCap cap = new QuarantineCap(metadata, blobs, audit, 3, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            refused(i, 10);
            cap.enforce(KEY);
        }
        assertThat(ids()).containsExactly(5L, 4L, 3L);
        assertThat(blobs.exists("p/s/q1")).isFalse();
        assertThat(blobs.exists("p/s/q2")).isFalse();
        assertThat(blobs.exists("p/s/q3")).isTrue();
        assertThat(audit.list(new AuditQuery(null, null, null, "quarantine.drop", null, null, 10, null)))
                .hasSize(2);
    }

    @Test
    void overTheBytesTheOldestAreDroppedButTheNewestIsAlwaysKept() throws Exception {
        QuarantineCap cap = new QuarantineCap(metadata, blobs, audit, 100, 250);
        refused(1, 100);
        refused(2, 100);
        assertThat(cap.enforce(KEY)).isEmpty();
        refused(3, 100);
        assertThat(cap.enforce(KEY)).containsExactly(1L);
        assertThat(ids()).containsExactly(3L, 2L);

        refused(4, 1000);
        assertThat(cap.enforce(KEY)).containsExactlyInAnyOrder(3L, 2L);
        assertThat(ids()).as("the newest stays, however large").containsExactly(4L);
    }

    @Test
    void enforcingTwiceDropsNothingMore() throws Exception {
        QuarantineCap cap = new QuarantineCap(metadata, blobs, audit, 1, 1_000);
        refused(1, 1);
        refused(2, 1);
        assertThat(cap.enforce(KEY)).containsExactly(1L);
        assertThat(cap.enforce(KEY)).isEmpty();
        assertThat(ids()).containsExactly(2L);
    }
}
