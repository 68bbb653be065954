package dev.statefort.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a round trip wrote (state, version, SHA-256, size) and the checks that every version still reads back. */
final class StoredVersions {
    record Written(StateKey key, long number, String sha256, long size) {}

    private final List<Written> written = new ArrayList<>();

    void add(VersionRecord version) {
        written.add(new Written(version.key(), version.number(), version.sha256(), version.size()));
    }

    List<Written> all() {
        return written;
    }

    /** Reads every version through the node's services and compares length and SHA-256 with what was written. */
    void assertAllReadable(StatefortNode node, String step) throws IOException {
        for (Written w : written) {
            StoredState stored = node.state().states().readVersion(TestPrincipals.admin("test"), w.key(), w.number());
            MessageDigest sha = sha256();
            long length;
            try (InputStream in = new DigestInputStream(stored.content(), sha)) {
                length = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(length)
                    .as("%s: size of %s v%d", step, w.key(), w.number())
                    .isEqualTo(w.size());
            assertThat(HexFormat.of().formatHex(sha.digest()))
                    .as("%s: content of %s v%d", step, w.key(), w.number())
                    .isEqualToIgnoringCase(w.sha256());
        }
    }

    /** Every version of {@code project} is stored under the project's newest data key. */
    void assertAllUnderPrimaryKey(StatefortNode node, String project) {
        EncryptingBlobStore headers =
                new EncryptingBlobStore(node.rawBlobs(), node.encryption().keyRing(), false);
        int primary = node.encryption().keyRing().forWriting(project).primaryKeyId();
        for (Written w : written) {
            if (w.key().project().equals(project)) {
                String blobKey = node.metadata()
                        .findVersion(w.key(), w.number())
                        .orElseThrow()
                        .blobKey();
                assertThat(headers.dataKeyIdOf(blobKey))
                        .as("key of %s v%d", w.key(), w.number())
                        .isEqualTo(primary);
            }
        }
    }

    static ServerConfig config(Path dataDir, Path masterKeyFile) {
        Map<String, String> flags = new TreeMap<>();
        flags.put("data-dir", dataDir.toString());
        if (masterKeyFile != null) {
            flags.put("master-key-file", masterKeyFile.toString());
        }
        return ConfigLoader.load(flags, Map.of(), null);
    }

    /** Path below the blob root -> SHA-256 of every blob file. */
    static Map<String, String> blobFiles(Path blobRoot) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(blobRoot)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                MessageDigest sha = sha256();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                hashes.put(blobRoot.relativize(file).toString(), HexFormat.of().formatHex(sha.digest()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return hashes;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
