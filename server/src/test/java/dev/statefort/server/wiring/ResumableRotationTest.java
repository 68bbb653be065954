package dev.statefort.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.KeyRotation;
import dev.statefort.core.crypto.WrongMasterKeyException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 point 4: every rotation is resumable. A master rotation or a re-encryption that dies half-way leaves
 * every version readable, and running the same command again finishes it.
 */
class ResumableRotationTest {
    private static final List<String> PROJECTS = List.of("default", "infra", "apps");
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    ServerConfig config;
    StoredVersions versions = new StoredVersions();

    @BeforeEach
    void writeVersionsInThreeProjects() throws IOException {
        config = StoredVersions.config(dir.resolve("data"), null);
        RandomStates random = new RandomStates(7);
        try (StatefortNode node = StatefortNode.open(config)) {
            for (String project : PROJECTS) {
                node.project().projects().create(project);
            }
            for (int i = 0; i < 30; i++) {
                byte[] body = random.body(1 + random.nextSize() % 40_000, i);
                StateKey key = new StateKey(PROJECTS.get(i % 3), "s" + (i % 4));
                WriteOutcome outcome = node.state()
                        .states()
                        .write(WriteRequest.of(
                                key, new ByteArrayInputStream(body), body.length, TestPrincipals.admin("t")));
                versions.add(((WriteOutcome.Written) outcome).version());
            }
        }
    }

    @Test
    void aMasterRotationInterruptedHalfWayKeepsEverythingReadableAndFinishesWhenRunAgain() throws IOException {
        Path keyFile = config.masterKeyFile();
        Path oldKey = Files.copy(keyFile, dir.resolve("old.key"));
        try (StatefortNode node = StatefortNode.open(config)) {
            KeyFileMasterKeySource source =
                    (KeyFileMasterKeySource) node.encryption().master().source();
            MetadataStore crashing = InterruptingMetadataStore.crashingAfter(node.metadata(), "replaceKeyMaterial", 2);
            assertThatThrownBy(() -> new KeyRotation(crashing, CLOCK).rotateMaster(source, source))
                    .isInstanceOf(InterruptingMetadataStore.SimulatedCrash.class);
        }
        assertThat(new KeyFileMasterKeySource(keyFile).load().keyCount())
                .as("old and new key are both kept until the rotation is done")
                .isEqualTo(2);

        try (StatefortNode node = StatefortNode.open(config)) {
            versions.assertAllReadable(node, "after the interrupted rotation");
            KeyFileMasterKeySource source =
                    (KeyFileMasterKeySource) node.encryption().master().source();
            KeyRotation.MasterRotation resumed = new KeyRotation(node.metadata(), CLOCK).rotateMaster(source, source);
            assertThat(resumed.rewrapped())
                    .as("only what the first run had not re-wrapped (it re-wrapped the check and two projects)")
                    .isEqualTo(1);
        }

        assertThat(new KeyFileMasterKeySource(keyFile).load().keyCount()).isEqualTo(1);
        try (StatefortNode node = StatefortNode.open(config)) {
            versions.assertAllReadable(node, "after the resumed rotation");
        }
        assertThatThrownBy(() -> StatefortNode.open(StoredVersions.config(dir.resolve("data"), oldKey)))
                .isInstanceOf(WrongMasterKeyException.class)
                .hasMessageContaining("is not the key this data was encrypted with");
    }

    @Test
    void aReencryptionInterruptedHalfWayKeepsEverythingReadableAndFinishesWhenRunAgain() throws IOException {
        long ofDefault = versions.all().stream()
                .filter(w -> w.key().project().equals("default"))
                .count();
        try (StatefortNode node = StatefortNode.open(config)) {
            new KeyRotation(node.metadata(), CLOCK).rotateData(node.encryption().keyRing(), "default");
            MetadataStore crashing = InterruptingMetadataStore.crashingAfter(node.metadata(), "replaceVersionBlob", 3);
            assertThatThrownBy(() -> new KeyRotation(crashing, CLOCK)
                            .reencrypt(node.encryption().keyRing(), node.rawBlobs(), "default"))
                    .isInstanceOf(InterruptingMetadataStore.SimulatedCrash.class);
        }

        try (StatefortNode node = StatefortNode.open(config)) {
            versions.assertAllReadable(node, "after the interrupted re-encryption");
            KeyRotation.Reencryption resumed = new KeyRotation(node.metadata(), CLOCK)
                    .reencrypt(node.encryption().keyRing(), node.rawBlobs(), "default");
            assertThat(resumed.examined()).isEqualTo(ofDefault);
            assertThat(resumed.rewritten())
                    .as("the first run switched four versions before it died")
                    .isEqualTo(ofDefault - 4);
        }
        try (StatefortNode node = StatefortNode.open(config)) {
            versions.assertAllReadable(node, "after the resumed re-encryption");
            versions.assertAllUnderPrimaryKey(node, "default");
        }
    }
}
