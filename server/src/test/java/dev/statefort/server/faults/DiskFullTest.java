package dev.statefort.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.storage.StorageHealth;
import dev.statefort.server.http.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5, a full disk: the data directory on a small file system of its own, filled. A
 * write gets 507 saying the storage is full, the previous version stays current and readable,
 * {@code /readyz} reports the low space, and once space is freed writes succeed again without a
 * restart.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskIs507KeepsThePreviousVersionAndRecoversWhenSpaceIsFreed() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("small"), 24);
                TestServer server = TestServer.start(
                        disk.root().resolve("data"),
                        Clock.systemUTC(),
                        Map.of(
                                "min-free-space",
                                "4MiB",
                                "master-key-file",
                                tmp.resolve("master.key").toString()))) {
            String token = server.token("default", Permission.WRITE);
            String v1 = state(1);
            assertThat(server.send("POST", "/tf/default/full", v1, token).status())
                    .isEqualTo(200);
            assertThat(server.send("GET", "/readyz", null, (String) null).body())
                    .isEqualToIgnoringWhitespace("ready");

            Path filler = disk.root().resolve("filler");
            assertThat(disk.fill(filler)).isPositive();

            String v2 = state(2);
            TestServer.Response refused = server.send("POST", "/tf/default/full", v2, token);
            assertThat(refused.status()).as(refused.body()).isEqualTo(507);
            assertThat(refused.body()).contains("storage is full").contains("nothing was stored");

            // a failed write ends the reuse of the last healthy answer: this one pings the full disk
            Thread.sleep(StorageHealth.HEALTHY_FOR.toMillis() + 100);
            TestServer.Response ready = server.send("GET", "/readyz", null, (String) null);
            assertThat(ready.status())
                    .as("reads still work: the node stays in the balancer")
                    .isEqualTo(200);
            assertThat(ready.body())
                    .contains("low disk space")
                    .contains("is full")
                    .as("how many bytes are free is for the log and the management port")
                    .doesNotContain("bytes free");
            TestServer.Response current = server.send("GET", "/tf/default/full", null, token);
            assertThat(current.status()).isEqualTo(200);
            assertThat(current.body()).as("the previous version stays current").isEqualTo(v1);

            Files.delete(filler);
            TestServer.Response accepted = server.send("POST", "/tf/default/full", v2, token);
            assertThat(accepted.status())
                    .as("space freed, no restart: " + accepted.body())
                    .isEqualTo(200);
            assertThat(server.send("GET", "/tf/default/full", null, token).body())
                    .isEqualTo(v2);
            assertThat(server.send("GET", "/readyz", null, (String) null).body())
                    .isEqualToIgnoringWhitespace("ready");
        }
    }

    /** A state with 256 KiB of incompressible content (it cannot shrink below the space left). */
    private static String state(int serial) {
        byte[] noise = new byte[192 * 1024];
        new Random(serial).nextBytes(noise);
        return "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"disk\",\"outputs\":{\"blob\":{\"value\":\""
                + java.util.Base64.getEncoder().encodeToString(noise) + "\"}}}";
    }
}
