package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.model.Permission;
import dev.statefort.core.testing.CountingBlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 4: a state read again is not decrypted again (the decoded version is kept by its
 * blob key), the head is still asked of the database (a new write is read at once), a token check
 * is never cached, and {@code read-cache-size = 0} turns it off.
 */
class ReadCacheTest {
    static final String V1 = "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}\n";
    static final String V2 = "{\"version\":4,\"serial\":2,\"lineage\":\"l\",\"resources\":[]}\n";

    @TempDir
    Path dir;

    private int opensForFiveReads(String readCacheSize) throws Exception {
        CountingBlobStore blobs = new CountingBlobStore(new InMemoryBlobStore());
        try (TestServer server = TestServer.over(
                dir.resolve(readCacheSize),
                new InMemoryMetadataStore(),
                blobs,
                Map.of("read-cache-size", readCacheSize, "small-state-max-size", "0"))) {
            IssuedToken token = server.node().access().tokens().create("default", Permission.WRITE, "t");
            assertThat(server.send("POST", "/tf/default/s", V1, token.token()).status())
                    .isEqualTo(200);
            IndexSettled.await(server.node()); // the indexer's one read of the new version is not counted
            blobs.opens.set(0);
            for (int i = 0; i < 5; i++) {
                TestServer.Response r = server.send("GET", "/tf/default/s", null, token.token());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(V1);
            }
            int opens = blobs.opens.get();
            assertThat(server.send("POST", "/tf/default/s", V2, token.token()).status())
                    .isEqualTo(200);
            assertThat(server.send("GET", "/tf/default/s", null, token.token()).body())
                    .as("the head is asked of the database: the new version at once")
                    .isEqualTo(V2);
            server.node().access().tokens().revoke(token.record().id());
            assertThat(server.send("GET", "/tf/default/s", null, token.token()).status())
                    .as("revocation takes effect on the next request")
                    .isEqualTo(403);
            return opens;
        }
    }

    @Test
    void aStateReadAgainIsNotDecodedAgain() throws Exception {
        assertThat(opensForFiveReads("256MiB"))
                .as("the write kept the decoded bytes: no read decodes the blob")
                .isZero();
    }

    @Test
    void zeroTurnsTheCacheOff() throws Exception {
        assertThat(opensForFiveReads("0")).isEqualTo(5);
    }
}
