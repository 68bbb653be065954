package dev.statefort.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 point 6: new data keys use 64 KiB segments (a small write no longer allocates two 1 MiB
 * buffers), and blobs written under a data key of the old 1 MiB kind stay readable, also after the
 * project's key is rotated onto the new kind.
 */
class DataKeySegmentSizeTest {
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final MasterKeyHolder master = new MasterKeyHolder(new FixedMasterKey(MasterKey.generate()));
    private final ProjectKeyRing ring = new ProjectKeyRing(metadata, master, Clock.systemUTC());
    private final InMemoryBlobStore underlying = new InMemoryBlobStore();
    private final EncryptingBlobStore store = new EncryptingBlobStore(underlying, ring, false);

    @Test
    void aNewProjectsDataKeyAuthenticates64KibSegments() throws IOException {
        store.put("fresh/state/1", new ByteArrayInputStream(randomBytes(10 * 1024)));

        assertThat(segmentSizeOfPrimary("fresh")).isEqualTo(64 * 1024);
    }

    @Test
    void blobsUnderAnOld1MibKeyStayReadableAndRotationMovesNewWritesToTheNewKind() throws Exception {
        storeKeysetAsTheOldCodeDid("legacy");
        byte[] before = randomBytes(3 * 1024 * 1024 + 17);
        store.put("legacy/state/1", new ByteArrayInputStream(before));
        assertThat(segmentSizeOfPrimary("legacy")).as("an existing key is kept").isEqualTo(1024 * 1024);

        ring.rotate("legacy");
        byte[] after = randomBytes(200 * 1024);
        store.put("legacy/state/2", new ByteArrayInputStream(after));

        assertThat(segmentSizeOfPrimary("legacy")).isEqualTo(64 * 1024);
        assertThat(read("legacy/state/1")).isEqualTo(before);
        assertThat(read("legacy/state/2")).isEqualTo(after);
        assertThat(store.dataKeyIdOf("legacy/state/1")).isNotEqualTo(store.dataKeyIdOf("legacy/state/2"));
    }

    @Test
    void aBlobWrittenUnderA64KibKeyIsReadAgainByAFreshNode() throws IOException {
        byte[] state = randomBytes(1024 * 1024 + 5);
        store.put("restart/state/1", new ByteArrayInputStream(state));

        ProjectKeyRing restarted = new ProjectKeyRing(metadata, master, Clock.systemUTC());
        try (InputStream in = new EncryptingBlobStore(underlying, restarted, false).open("restart/state/1")) {
            assertThat(in.readAllBytes()).isEqualTo(state);
        }
    }

    /** What the code before this change stored: one AES256_GCM_HKDF_1MB key, wrapped as documented. */
    private void storeKeysetAsTheOldCodeDid(String project) throws Exception {
        KeysetHandle old = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
        byte[] serialized = TinkProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get());
        byte[] wrapped = master.wrapNew(serialized, "statefort-project-keyset:legacy".getBytes());
        assertThat(metadata.replaceKeyMaterial(
                        ProjectKeyRing.materialName(project), null, wrapped, java.time.Instant.now()))
                .isTrue();
    }

    private int segmentSizeOfPrimary(String project) {
        var parameters = (AesGcmHkdfStreamingParameters)
                ring.forWriting(project).handle().getPrimary().getKey().getParameters();
        return parameters.getCiphertextSegmentSizeBytes();
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private record FixedMasterKey(MasterKey key) implements MasterKeySource {
        @Override
        public MasterKey load() {
            return key;
        }

        @Override
        public String description() {
            return "a master key in memory";
        }

        @Override
        public boolean isWritable() {
            return false;
        }

        @Override
        public void save(MasterKey replacement) {
            throw new UnsupportedOperationException();
        }
    }
}
