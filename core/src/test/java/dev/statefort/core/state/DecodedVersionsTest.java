package dev.statefort.core.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.io.Digests;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.testing.CountingBlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 27 points 2 and 6: a version written on this node is read from memory at once, and the
 * version it replaced leaves the cache (its large array is not carried in the old generation).
 */
class DecodedVersionsTest {
    private final CountingBlobStore blobs = new CountingBlobStore(new InMemoryBlobStore());
    private final AtomicInteger opens = blobs.opens;
    private final DecodedVersions decoded = new DecodedVersions(blobs, 1 << 20);
    private final StateKey key = new StateKey("p", "s");

    private VersionRecord stored(long number, String body) throws Exception {
        String blobKey = "p/s/v" + number;
        blobs.put(blobKey, new ByteArrayInputStream(body.getBytes(UTF_8)));
        return new VersionRecord(
                key,
                number,
                number,
                "l",
                Digests.sha256Hex(body.getBytes(UTF_8)),
                body.length(),
                Instant.EPOCH,
                "t",
                null,
                null,
                blobKey,
                0,
                null,
                null);
    }

    @Test
    void aWrittenVersionIsReadFromMemoryAndTheOneItReplacedLeavesTheCache() throws Exception {
        String first = "{\"serial\":1}";
        String second = "{\"serial\":2}";
        VersionRecord v1 = stored(1, first);
        decoded.written(v1, first.getBytes(UTF_8));
        VersionRecord v2 = stored(2, second);
        decoded.written(v2, second.getBytes(UTF_8));

        try (InputStream in = decoded.open(v2)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(second);
        }
        assertThat(opens).as("the version just written: no blob read").hasValue(0);
        try (InputStream in = decoded.open(v1)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(first);
        }
        assertThat(opens)
                .as("the version it replaced was let go: read from its blob")
                .hasValue(1);
    }
}
