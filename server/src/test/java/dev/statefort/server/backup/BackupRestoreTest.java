package dev.statefort.server.backup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.http.TestServer;
import dev.statefort.server.testing.CliRun;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4: {@code statefort backup} while four writers keep writing, {@code backup
 * verify}, and {@code statefort restore} into a new data directory: every version acknowledged
 * before the backup started is there byte for byte, and the server starts on it with the same
 * master key. A restore refuses a data directory that is not empty, and a file that fails its
 * checksums.
 */
class BackupRestoreTest {
    private static final int WRITERS = 4;
    private static final int MAX_WRITES_PER_WRITER = 400;

    @TempDir
    Path tmp;

    /** A write the server acknowledged (200), and when. */
    private record Acked(long serial, String body, long ackedAt) {}

    @Test
    void aBackupDuringFourWritersRestoresEveryVersionAcknowledgedBeforeIt() throws Exception {
        Path a = tmp.resolve("a");
        Path key = ConfigLoader.defaultMasterKeyFile(a);
        Path backup = tmp.resolve("backup.tar");
        Map<Integer, List<Acked>> acked;
        long backupStartedAt;
        try (TestServer server = TestServer.start(a, Clock.systemUTC())) {
            String token = server.token("default", Permission.WRITE);
            // keep every version (retention would prune the oldest of these many writes)
            assertThat(server.send(
                                    "PATCH",
                                    "/api/v1/projects/default/settings",
                                    "{\"keepDays\":30}",
                                    server.token(null, Permission.ADMIN))
                            .status())
                    .isEqualTo(200);
            Writers writers = new Writers(server, token, "w", MAX_WRITES_PER_WRITER);
            acked = writers.acked;
            writers.awaitFiveEach();
            backupStartedAt = System.nanoTime();
            CliRun.Result taken = cli("backup", "--data-dir", a.toString(), "--output", backup.toString());
            assertThat(taken.code()).as(taken.err()).isZero();
            long backupEndedAt = System.nanoTime();
            assertThat(taken.out()).contains("backed up").contains("holds no master key");
            Thread.sleep(200); // writes go on after the snapshot, and are not in it
            writers.stop();
            assertThat(acked.values().stream()
                            .flatMap(List::stream)
                            .filter(w -> w.ackedAt() > backupStartedAt && w.ackedAt() < backupEndedAt))
                    .as("writes acknowledged while the backup ran")
                    .isNotEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-------");
        assertThat(tarEntries(backup)).noneMatch(name -> name.contains("master"));
        String masterKey = Files.readString(key).strip();
        assertThat(new String(Files.readAllBytes(backup), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("the master key is nowhere in the backup")
                .doesNotContain(masterKey);

        CliRun.Result verified = cli("backup", "verify", backup.toString());
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("verifies");

        Path b = tmp.resolve("b");
        restore(backup, b, key);

        int checked = 0;
        try (TestServer server = TestServer.start(b, Clock.systemUTC(), Map.of("master-key-file", key.toString()))) {
            for (int w = 0; w < WRITERS; w++) {
                Map<Long, VersionRecord> bySerial = new HashMap<>();
                StateKey state = new StateKey("default", "w" + w);
                server.node()
                        .state()
                        .states()
                        .versions(TestPrincipals.admin("test"), state, PageRequest.first(PageRequest.MAX_LIMIT))
                        .items()
                        .forEach(v -> bySerial.put(v.serial(), v));
                for (Acked write : acked.get(w)) {
                    if (write.ackedAt() >= backupStartedAt) {
                        continue;
                    }
                    VersionRecord version = bySerial.get(write.serial());
                    assertThat(version)
                            .as("w" + w + " serial " + write.serial() + " is restored")
                            .isNotNull();
                    try (InputStream in = server.node().state().states().content(version)) {
                        assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(write.body());
                    }
                    checked++;
                }
            }
            assertThat(server.send("GET", "/tf/default/w0", null, server.token("default", Permission.READ))
                            .status())
                    .as("the restored node serves its states")
                    .isEqualTo(200);
        }
        assertThat(checked).as("acknowledged versions checked").isGreaterThanOrEqualTo(WRITERS * 5);
    }

    @Test
    void aBackupWhileRetentionPrunesUnderWritersSucceedsAndRestoresWholeStates() throws Exception {
        Path a = tmp.resolve("a");
        Path key = ConfigLoader.defaultMasterKeyFile(a);
        Path backup = tmp.resolve("pruned.tar");
        Map<Integer, List<Acked>> acked;
        try (TestServer server = TestServer.start(a, Clock.systemUTC())) {
            String token = server.token("default", Permission.WRITE);
            // every write prunes: blobs the snapshot refers to disappear while the backup copies them
            assertThat(server.send(
                                    "PATCH",
                                    "/api/v1/projects/default/settings",
                                    "{\"keepVersions\":3}",
                                    server.token(null, Permission.ADMIN))
                            .status())
                    .isEqualTo(200);
            Writers writers = new Writers(server, token, "p", 20_000);
            acked = writers.acked;
            writers.awaitFiveEach();
            for (int i = 0; i < 3; i++) {
                assertThat(writers.writing())
                        .as("the writers are still writing")
                        .isTrue();
                CliRun.Result taken = cli("backup", "--data-dir", a.toString(), "--output", backup.toString());
                assertThat(taken.code()).as(taken.err()).isZero();
                System.out.println("BackupRestoreTest observed under pruning: "
                        + taken.out().strip().replace('\n', ' '));
            }
            writers.stop();
        }
        assertThat(cli("backup", "verify", backup.toString()).code()).isZero();
        Path b = tmp.resolve("b");
        restore(backup, b, key);
        try (TestServer server = TestServer.start(b, Clock.systemUTC(), Map.of("master-key-file", key.toString()))) {
            String reader = server.token("default", Permission.READ);
            for (int w = 0; w < WRITERS; w++) {
                TestServer.Response current = server.send("GET", "/tf/default/p" + w, null, reader);
                assertThat(current.status()).isEqualTo(200);
                assertThat(acked.get(w).stream().map(Acked::body))
                        .as("the restored current version of p" + w + " is one that was written")
                        .contains(current.body());
            }
        }
    }

    @Test
    void aRestoreRefusesADataDirThatIsNotEmptyAndAFileThatDoesNotVerify() throws Exception {
        Path a = tmp.resolve("a");
        Path backup = tmp.resolve("backup.tar");
        // the state's blob in the blob store, so the backup holds it as a file to alter
        try (TestServer server = TestServer.start(a, Clock.systemUTC(), Map.of("small-state-max-size", "0"))) {
            server.send(
                    "POST",
                    "/tf/default/s",
                    "{\"version\":4,\"serial\":1,\"lineage\":\"l\"}",
                    server.token("default", Permission.WRITE));
        }
        assertThat(cli("backup", "--data-dir", a.toString(), "--output", backup.toString())
                        .code())
                .isZero();

        Path occupied = tmp.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("something"), "x");
        CliRun.Result refused = cli("restore", "--input", backup.toString(), "--data-dir", occupied.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("not empty");

        Path damaged = tmp.resolve("damaged.tar");
        Files.copy(backup, damaged);
        flipAByteOfTheLastBlob(damaged);
        CliRun.Result verify = cli("backup", "verify", damaged.toString());
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).contains("does not match its checksum");
        Path c = tmp.resolve("c");
        CliRun.Result notRestored = cli("restore", "--input", damaged.toString(), "--data-dir", c.toString());
        assertThat(notRestored.code()).isEqualTo(1);
        assertThat(notRestored.err()).contains("does not verify");
        assertThat(Files.exists(c))
                .as("nothing written for a file that does not verify")
                .isFalse();
    }

    /** Changes one byte inside the content of the last blob entry of the tar. */
    private static void flipAByteOfTheLastBlob(Path tar) throws Exception {
        long offset = -1;
        try (var file = new org.apache.commons.compress.archivers.tar.TarFile(tar)) {
            for (var e : file.getEntries()) {
                if (e.getName().startsWith("blobs/")) {
                    offset = e.getDataOffset() + e.getSize() / 2;
                }
            }
        }
        assertThat(offset).isPositive();
        try (RandomAccessFile file = new RandomAccessFile(tar.toFile(), "rw")) {
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x01);
        }
    }

    private static List<String> tarEntries(Path tar) throws Exception {
        List<String> names = new ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /** {@link #WRITERS} threads, each writing its own state until stopped or {@code cap} writes. */
    private static final class Writers {
        final Map<Integer, List<Acked>> acked = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final CountDownLatch fiveEach = new CountDownLatch(WRITERS);
        private final List<Thread> threads = new ArrayList<>();

        Writers(TestServer server, String token, String prefix, int cap) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                acked.put(writer, java.util.Collections.synchronizedList(new ArrayList<>()));
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int serial = 1; serial <= cap && !stop.get(); serial++) {
                        String body = "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"" + prefix + writer
                                + "\",\"outputs\":{\"n\":{\"value\":\"" + "x".repeat(serial % 97) + "\"}}}";
                        if (server.send("POST", "/tf/default/" + prefix + writer, body, token)
                                        .status()
                                == 200) {
                            acked.get(writer).add(new Acked(serial, body, System.nanoTime()));
                        }
                        if (serial == 5) {
                            fiveEach.countDown();
                        }
                    }
                }));
            }
        }

        void awaitFiveEach() throws InterruptedException {
            fiveEach.await();
        }

        boolean writing() {
            return threads.stream().allMatch(Thread::isAlive);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }

    /** {@code statefort restore} of {@code backup} into {@code dataDir}, which must succeed. */
    private static void restore(Path backup, Path dataDir, Path masterKey) {
        CliRun.Result restored = cli(
                "restore",
                "--input",
                backup.toString(),
                "--data-dir",
                dataDir.toString(),
                "--master-key-file",
                masterKey.toString());
        assertThat(restored.code()).as(restored.err()).isZero();
    }

    static CliRun.Result cli(String... args) {
        return CliRun.run(args);
    }
}
