package dev.statefort.it.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.MasterKey;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 points 4 and 5 through the jar's CLI, with the server stopped as docs/encryption.md says: {@code keys
 * rotate-master} re-wraps the keys and leaves every blob file byte-identical, {@code keys rotate-data} gives new
 * writes a new key while old versions stay readable, {@code keys reencrypt} rewrites the old versions under it, and
 * {@code decrypt} prints the exact bytes of any version.
 */
class KeyRotationCliTest {
    @TempDir
    Path serverDir;

    StatefortProcess server;
    /** "project/state/version" -> the bytes written. */
    final Map<String, byte[]> written = new LinkedHashMap<>();

    @BeforeEach
    void startServerAndWriteVersions() {
        // the blobs this test reads the data key of are files
        server = StatefortProcess.startWithEnvironment(
                serverDir, "KeyRotationCliTest", StatefortProcess.BLOBS_READ_FROM_STORE);
        server.createProject("infra");
        Random random = new Random(11);
        for (String project : List.of("default", "infra")) {
            for (String state : List.of("network", "compute")) {
                String lineage = Fixtures.newLockId();
                for (int version = 1; version <= 3; version++) {
                    write(project, state, version, Fixtures.terraformState(version, lineage, "v" + random.nextInt()));
                }
            }
        }
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void rotateMasterRewrapsTheKeysLeavesEveryBlobByteIdenticalAndRetiresTheOldKey() throws IOException {
        server.stop();
        Map<String, String> blobsBefore = StoredBlobs.snapshot(server.dataDir());
        Path key = server.defaultMasterKeyFile();
        Path oldKey = Files.copy(key, serverDir.resolve("old.master.key"));

        CliResult rotated = server.cli("keys", "rotate-master");

        assertThat(rotated.exitCode()).as("%s", rotated).isZero();
        assertThat(rotated.stdout()).contains("master key rotated: 3 key material entries re-wrapped");
        MasterKey newKey = MasterKey.parse(Files.readString(key), "rotated key");
        MasterKey previous = MasterKey.parse(Files.readString(oldKey), "old key");
        assertThat(newKey.keyCount()).as("the old key is dropped").isEqualTo(1);
        assertThat(newKey.primaryKeyId()).isNotEqualTo(previous.primaryKeyId());
        assertThat(StoredBlobs.snapshot(server.dataDir())).isEqualTo(blobsBefore);

        server.restart();
        assertEveryVersionReadableOverHttp();
        server.stop();
        CliResult withOldKey = server.cli("serve", "--port", "0", "--master-key-file", oldKey.toString());
        assertThat(withOldKey.exitCode()).as("%s", withOldKey).isNotZero();
        assertThat(withOldKey.stderr()).contains("is not the key this data was encrypted with");
    }

    @Test
    void rotateDataGivesNewWritesANewKeyAndReencryptRewritesOldVersionsUnderIt() throws IOException {
        server.stop();
        Set<Integer> oldKeys = dataKeyIds("default");
        Map<String, String> infraBefore = snapshotOf("infra");

        CliResult rotated = server.cli("keys", "rotate-data", "--project", "default");

        assertThat(rotated.exitCode()).as("%s", rotated).isZero();
        assertThat(rotated.stdout()).contains("project default: new data key");
        server.restart();
        write("default", "network", 4, Fixtures.terraformState(4, "after-rotation", "new"));
        Path newest = newestBlob("default", "network", oldKeys);
        int newKey = StoredBlobs.dataKeyIdOf(newest);
        assertThat(oldKeys).doesNotContain(newKey);
        assertEveryVersionReadableOverHttp();
        server.stop();

        CliResult reencrypted = server.cli("keys", "reencrypt", "--project", "default");

        assertThat(reencrypted.exitCode()).as("%s", reencrypted).isZero();
        assertThat(reencrypted.stdout()).contains("7 versions examined, 6 rewritten");
        assertThat(dataKeyIds("default")).containsExactly(newKey);
        assertThat(StoredBlobs.ofState(server.dataDir(), "default", "network"))
                .as("old blobs are deleted")
                .hasSize(4);
        assertThat(snapshotOf("infra")).as("another project is untouched").isEqualTo(infraBefore);
        CliResult again = server.cli("keys", "rotate-data", "--project", "default", "--reencrypt");
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.stdout()).contains("7 versions examined, 7 rewritten");
        assertDecryptsOffline("default/network/1", "default/network/4", "infra/compute/3");
        server.restart();
        assertEveryVersionReadableOverHttp();
    }

    @Test
    void offlineDecryptPrintsTheExactBytesOfTheCurrentAndOfEveryVersion() throws IOException {
        byte[] unusual = ("{\"version\":4,\"serial\":9,\"lineage\":\"x\",\"outputs\":{\"s\":{\"value\":"
                        + "\"h\u00e9llo \u2603 \\u0000 tab\\t\",\"type\":\"string\"}},\"resources\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        write("default", "exact", 1, unusual);
        byte[] big = bigState(3 * 1024 * 1024 + 17);
        write("default", "exact", 2, big);
        server.stop();

        Path current = serverDir.resolve("current.tfstate");
        CliResult result = server.cli(
                Map.of(),
                current,
                "decrypt",
                "--master-key-file",
                server.defaultMasterKeyFile().toString(),
                "--project",
                "default",
                "--state",
                "exact");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(Files.readAllBytes(current)).isEqualTo(big);
        assertDecryptsOffline("default/exact/1", "default/exact/2", "infra/network/2");
    }

    private void write(String project, String state, int version, byte[] body) {
        StatefortClient.Response response =
                server.adminClient().write(StatefortClient.statePath(project, state), body, null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        written.put(project + "/" + state + "/" + version, body);
    }

    private void assertEveryVersionReadableOverHttp() {
        StatefortClient admin = server.adminClient();
        for (Map.Entry<String, byte[]> entry : written.entrySet()) {
            String[] parts = entry.getKey().split("/");
            assertThat(admin.versionContent(parts[0], parts[1], Long.parseLong(parts[2])))
                    .as(entry.getKey())
                    .isEqualTo(entry.getValue());
        }
    }

    /** Runs {@code decrypt --version N} (one JVM each, so only for the versions named) and compares the bytes. */
    private void assertDecryptsOffline(String... versions) throws IOException {
        for (String version : versions) {
            Map.Entry<String, byte[]> entry = Map.entry(version, written.get(version));
            String[] parts = entry.getKey().split("/");
            Path out = serverDir.resolve("decrypted-" + entry.getKey().replace('/', '-'));
            CliResult result = server.cli(
                    Map.of(),
                    out,
                    "decrypt",
                    "--master-key-file",
                    server.defaultMasterKeyFile().toString(),
                    "--project",
                    parts[0],
                    "--state",
                    parts[1],
                    "--version",
                    parts[2]);
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(Files.readAllBytes(out)).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    private Set<Integer> dataKeyIds(String project) throws IOException {
        Set<Integer> ids = new HashSet<>();
        for (String state : List.of("network", "compute")) {
            for (Path blob : StoredBlobs.ofState(server.dataDir(), project, state)) {
                ids.add(StoredBlobs.dataKeyIdOf(blob));
            }
        }
        return ids;
    }

    private Map<String, String> snapshotOf(String project) throws IOException {
        Map<String, String> all = StoredBlobs.snapshot(server.dataDir());
        all.keySet().removeIf(path -> !path.startsWith(project + "/"));
        return all;
    }

    private Path newestBlob(String project, String state, Set<Integer> oldKeys) throws IOException {
        for (Path blob : StoredBlobs.ofState(server.dataDir(), project, state)) {
            if (!oldKeys.contains(StoredBlobs.dataKeyIdOf(blob))) {
                return blob;
            }
        }
        throw new AssertionError("no blob of " + project + "/" + state + " under a new data key");
    }

    private static byte[] bigState(int size) {
        StringBuilder value = new StringBuilder(size);
        Random random = new Random(5);
        while (value.length() < size) {
            value.append(Long.toString(random.nextLong(), 36)).append(' ');
        }
        return ("{\"version\":4,\"serial\":10,\"lineage\":\"x\",\"outputs\":{\"big\":{\"value\":\"" + value
                        + "\",\"type\":\"string\"}},\"resources\":[]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
