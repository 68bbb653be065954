package dev.statefort.it.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.SharedNode;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 point 5, first test: what reaches the disk of the embedded default (SQLite with its WAL and shared-memory
 * files, the blob files, the master key file beside the data dir) never holds a state's content, neither in the raw
 * bytes nor inside any zstd, gzip or zlib stream in them. The server's logs never hold it either.
 */
class EncryptionAtRestTest {
    @TempDir
    static Path tmp;

    static StatefortProcess server;

    /**
     * This JVM's shared node: the scan below covers every file of its data dir, other classes' states included,
     * for this class's marker.
     */
    @BeforeAll
    static void takeSharedServer() {
        server = SharedNode.embeddedBlobsReadFromStore(); // both versions' blobs are files the scan reads
    }

    @AfterAll
    static void leaveSharedServer() {
        server = null; // SharedNode stops it when the JVM ends
    }

    @Test
    void noFileInTheDataDirectoryOrTheMasterKeyFileContainsTheMarker() throws IOException {
        String marker = "marker-" + UUID.randomUUID();
        StatefortClient admin = server.adminClient();
        String lineage = Fixtures.newLockId();
        String path = StatefortClient.statePath("default", "marked");
        byte[] first = markedState(1, lineage, marker, 3);
        byte[] second = markedState(2, lineage, marker, 20_000);
        assertThat(admin.write(path, first, null).status()).isEqualTo(200);
        assertThat(admin.write(path, second, null).status()).isEqualTo(200);
        assertThat(admin.get(path).body()).isEqualTo(second);
        assertThat(admin.versionContent("default", "marked", 1)).isEqualTo(first);

        List<Path> scanned = new ArrayList<>(MarkerScan.filesUnder(server.dataDir()));
        scanned.add(server.defaultMasterKeyFile());
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        for (Path file : scanned) {
            MarkerScan.findings(file, needle).forEach(where -> found.add(file + " (" + where + ")"));
        }

        assertThat(scanned)
                .as("the scan covers the database, its WAL, the blobs and the key file")
                .anySatisfy(p -> assertThat(p.toString()).endsWith("statefort.db"))
                .anySatisfy(p -> assertThat(p.toString()).endsWith("statefort.db-wal"))
                .anySatisfy(p -> assertThat(p.toString()).endsWith("statefort.db-shm"))
                .anySatisfy(p -> assertThat(p.toString()).endsWith(".master.key"))
                .anySatisfy(p -> assertThat(p).startsWith(StoredBlobs.root(server.dataDir())));
        assertThat(StoredBlobs.ofState(server.dataDir(), "default", "marked")).hasSize(2);
        assertThat(found).as("places holding the marker").isEmpty();
        assertThat(server.stdoutText() + server.stderrText()).doesNotContain(marker);
    }

    /** Issue 27: a small state's blob is kept in the database, encrypted like a blob file. */
    @Test
    void aSmallStateKeptInTheDatabaseIsCiphertextThereToo() throws IOException {
        StatefortProcess node = SharedNode.embeddedDefault();
        String marker = "marker-" + UUID.randomUUID();
        String path = StatefortClient.statePath("default", "small-marked");
        byte[] state = markedState(1, Fixtures.newLockId(), marker, 3);
        assertThat(node.adminClient().write(path, state, null).status()).isEqualTo(200);
        assertThat(node.adminClient().get(path).body()).isEqualTo(state);

        assertThat(StoredBlobs.ofState(node.dataDir(), "default", "small-marked"))
                .as("no blob file: the state is kept in the database")
                .isEmpty();
        List<Path> scanned = MarkerScan.filesUnder(node.dataDir());
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        for (Path file : scanned) {
            MarkerScan.findings(file, needle).forEach(where -> found.add(file + " (" + where + ")"));
        }
        assertThat(scanned)
                .anySatisfy(p -> assertThat(p.toString()).endsWith("statefort.db"))
                .anySatisfy(p -> assertThat(p.toString()).endsWith("statefort.db-wal"));
        assertThat(found).as("places holding the marker").isEmpty();
    }

    @Test
    void theScanFindsTheMarkerInPlainZstdAndGzipCopies() throws IOException {
        // The detector itself must work, or the test above proves nothing.
        String marker = "marker-" + UUID.randomUUID();
        byte[] state = markedState(1, Fixtures.newLockId(), marker, 5_000);
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(tmp.resolve("detector"));
        Path plain = Files.write(dir.resolve("plain"), withPrefix(state));
        Path zstd = Files.write(dir.resolve("zstd"), withPrefix(Zstd.compress(state, 3)));
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(state);
        }
        Path gzip = Files.write(dir.resolve("gzip"), withPrefix(gzipped.toByteArray()));

        assertThat(MarkerScan.findings(plain, needle)).contains("raw");
        assertThat(MarkerScan.findings(zstd, needle)).containsExactly("zstd@9");
        assertThat(MarkerScan.findings(gzip, needle)).containsExactly("gzip@9");
    }

    /** A 9-byte prefix, like the blob header, so the detector must look past the start. */
    private static byte[] withPrefix(byte[] payload) {
        byte[] out = new byte[payload.length + 9];
        System.arraycopy(payload, 0, out, 9, payload.length);
        return out;
    }

    /** A Terraform state whose resource input holds the marker {@code repeats} times (very compressible). */
    static byte[] markedState(long serial, String lineage, String marker, int repeats) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < repeats; i++) {
            value.append(marker).append(' ');
        }
        return Fixtures.terraformState(serial, lineage, value.toString().strip());
    }
}
