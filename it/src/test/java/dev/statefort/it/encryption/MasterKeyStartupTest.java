package dev.statefort.it.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.MasterKey;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 points 2 and 3 from outside: where the master key comes from (generated on first start with a warning, a
 * key file, {@code STATEFORT_MASTER_KEY}), that a wrong or missing key stops the start-up with a clear message
 * instead of serving garbage or generating a new key, and that encryption is off only explicitly, with a warning.
 */
class MasterKeyStartupTest {
    @TempDir
    Path serverDir;

    StatefortProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void firstStartGeneratesAPrivateMasterKeyFileNextToTheDataDirAndWarnsAtEveryStart() throws IOException {
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest");
        Path key = server.defaultMasterKeyFile();

        assertThat(key).isRegularFile();
        assertThat(key.startsWith(server.dataDir()))
                .as("never inside the data dir")
                .isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(MasterKey.parse(Files.readString(key), "test").keyCount()).isEqualTo(1);
        assertThat(server.stdoutText()).contains("generated now: BACK IT UP");
        assertThat(server.stderrText()).contains("the master key is " + key);
        String generated = Files.readString(key);

        server.stop();
        server.restart();

        assertThat(Files.readString(key)).as("the key is kept, not regenerated").isEqualTo(generated);
        assertThat(occurrences(server.stdoutText(), "generated now")).isEqualTo(1);
        assertThat(occurrences(server.stderrText(), "the master key is " + key))
                .as("warned at every start")
                .isEqualTo(2);
    }

    @Test
    void startingWithAnotherMasterKeyStopsWithAClearMessageAndTheRightKeyStillWorks() throws IOException {
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest");
        byte[] state = Fixtures.terraformState(1, Fixtures.newLockId(), "kept");
        String path = StatefortClient.statePath("default", "wrong-key");
        assertThat(server.adminClient().write(path, state, null).status()).isEqualTo(200);
        server.stop();
        Path otherKey = serverDir.resolve("other.master.key");
        new KeyFileMasterKeySource(otherKey).save(MasterKey.generate());

        CliResult refused = server.cli("serve", "--port", "0", "--master-key-file", otherKey.toString());

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.stderr())
                .contains("master key file " + otherKey)
                .contains("is not the key this data was encrypted with");
        server.restart();
        assertThat(server.adminClient().get(path).body()).isEqualTo(state);
    }

    @Test
    void aMissingMasterKeyFileForEncryptedDataStopsTheStartInsteadOfGeneratingANewKey() throws IOException {
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest");
        assertThat(server.adminClient()
                        .write(StatefortClient.statePath("default", "s"), Fixtures.terraformState(1, "l", "x"), null)
                        .status())
                .isEqualTo(200);
        server.stop();
        Path key = server.defaultMasterKeyFile();
        Files.move(key, serverDir.resolve("backup.key"));

        CliResult refused = server.cli("serve", "--port", "0");

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.stderr()).contains("does not exist, but this data was encrypted");
        assertThat(key).as("no new key generated over encrypted data").doesNotExist();
    }

    @Test
    void turningEncryptionOffOverEncryptedDataRefusesToStart() throws IOException {
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest");
        server.stop();
        Path config = Files.writeString(serverDir.resolve("off.properties"), "encryption=off\n");

        CliResult refused = server.cli("serve", "--port", "0", "--config", config.toString());

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.stderr()).contains("'encryption' is off, but this data is encrypted");
    }

    @Test
    void encryptionIsOffOnlyWhenSetAndThenEveryStartWarnsAndBlobsHoldThePlaintext() throws IOException {
        // the state's blob in the blob store, where the test looks for its plaintext
        Path config =
                Files.writeString(serverDir.resolve("off.properties"), "encryption=off\nsmall-state-max-size=0\n");
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest", "--config", config.toString());
        String marker = "marker-" + UUID.randomUUID();
        byte[] state = EncryptionAtRestTest.markedState(1, Fixtures.newLockId(), marker, 2);
        assertThat(server.adminClient()
                        .write(StatefortClient.statePath("default", "plain"), state, null)
                        .status())
                .isEqualTo(200);
        server.stop();
        server.restart();

        assertThat(occurrences(server.stderrText(), "encryption is OFF")).isEqualTo(2);
        assertThat(server.stdoutText()).contains("encryption: OFF (plaintext)");
        assertThat(server.defaultMasterKeyFile()).doesNotExist();
        byte[] blob = Files.readAllBytes(StoredBlobs.onlyBlobOf(server.dataDir(), "default", "plain"));
        assertThat(new String(blob, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("SFB\u0001\u0000");
        assertThat(java.util.Arrays.copyOfRange(blob, 9, blob.length)).isEqualTo(state);
    }

    @Test
    void theMasterKeyCanComeFromTheEnvironmentAsJsonOrBase64() throws IOException {
        server = StatefortProcess.start(serverDir, "MasterKeyStartupTest");
        byte[] state = Fixtures.terraformState(1, Fixtures.newLockId(), "from-env");
        assertThat(server.adminClient()
                        .write(StatefortClient.statePath("default", "env"), state, null)
                        .status())
                .isEqualTo(200);
        server.stop();
        Path key = server.defaultMasterKeyFile();
        String json = Files.readString(key);
        Files.move(key, serverDir.resolve("elsewhere.key"));
        String base64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        String wrong = MasterKey.generate().toJson();

        for (String value : new String[] {json, base64}) {
            Path out = serverDir.resolve("env-" + UUID.randomUUID() + ".tfstate");
            CliResult decrypted = server.cli(
                    Map.of("STATEFORT_MASTER_KEY", value), out, "decrypt", "--project", "default", "--state", "env");
            assertThat(decrypted.exitCode()).as("%s", decrypted).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(state);
        }
        CliResult refused = server.cli(
                Map.of("STATEFORT_MASTER_KEY", wrong), null, "decrypt", "--project", "default", "--state", "env");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
                .contains("environment variable STATEFORT_MASTER_KEY")
                .contains("is not the key this data was encrypted with")
                .doesNotContain(wrong);
        assertThat(key).doesNotExist();
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
