package dev.statefort.core.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import dev.statefort.core.spi.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Each project's data keyset (Tink streaming AEAD, AES-256-GCM-HKDF), stored in the metadata
 * store wrapped by the master key under {@code project/<name>}, created on the project's first
 * write. Unwrapped keysets are cached; writers re-check the stored bytes so a rotation made on
 * another node or by the CLI takes effect on the next write.
 *
 * <p>New keys authenticate 64 KiB segments ({@link #NEW_KEY_PARAMETERS}); keys made before that
 * have 1 MiB segments and stay valid for reading and writing until the project's data key is
 * rotated. A stream allocates two buffers of one segment each, so a small state written under a
 * 1 MiB key costs 2 MiB of allocation, under a new key 128 KiB.
 */
public final class ProjectKeyRing {
    static {
        Tink.ensureRegistered();
    }

    private static final String PREFIX = "project/";

    /** AES-256-GCM with HKDF-SHA256 key derivation, 64 KiB ciphertext segments. */
    static final AesGcmHkdfStreamingParameters NEW_KEY_PARAMETERS = newKeyParameters();

    private final MetadataStore metadata;
    private final MasterKeyHolder master;
    private final Clock clock;
    private final ConcurrentMap<String, DataKeys> cache = new ConcurrentHashMap<>();

    /** An unwrapped data keyset. */
    public record DataKeys(
            int primaryKeyId, Set<Integer> keyIds, StreamingAead aead, KeysetHandle handle, byte[] wrapped) {}

    public ProjectKeyRing(MetadataStore metadata, MasterKeyHolder master, Clock clock) {
        this.metadata = metadata;
        this.master = master;
        this.clock = clock;
    }

    public static String materialName(String project) {
        return PREFIX + project;
    }

    /** The keys to encrypt a new blob with: the stored keyset (created if the project has none). */
    public DataKeys forWriting(String project) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<byte[]> stored = metadata.findKeyMaterial(materialName(project));
            if (stored.isPresent()) {
                return unwrapCached(project, stored.get());
            }
            KeysetHandle fresh = generate();
            byte[] wrapped = wrapKeyset(project, fresh);
            if (metadata.replaceKeyMaterial(materialName(project), null, wrapped, clock.instant())) {
                return unwrapCached(project, wrapped);
            }
        }
        throw new CryptoException("could not create the data key of project " + project + " (concurrent updates)");
    }

    /** The keys to decrypt a blob written under {@code keyId}; reloads once if the ID is unknown. */
    public DataKeys forReading(String project, int keyId) {
        DataKeys cached = cache.get(project);
        if (cached != null && cached.keyIds().contains(keyId)) {
            return cached;
        }
        byte[] stored = metadata.findKeyMaterial(materialName(project))
                .orElseThrow(() -> new CryptoException("project " + project + " has no data key"));
        return unwrapCached(project, stored);
    }

    /** Adds a new data key as primary; returns its ID. Old keys stay for reading. */
    public int rotate(String project) {
        for (int attempt = 0; attempt < 5; attempt++) {
            DataKeys current = forWriting(project);
            try {
                KeysetHandle rotated = KeysetHandle.newBuilder(current.handle())
                        .addEntry(KeysetHandle.generateEntryFromParameters(NEW_KEY_PARAMETERS)
                                .withRandomId()
                                .makePrimary())
                        .build();
                byte[] wrapped = wrapKeyset(project, rotated);
                if (metadata.replaceKeyMaterial(materialName(project), current.wrapped(), wrapped, clock.instant())) {
                    return unwrapCached(project, wrapped).primaryKeyId();
                }
            } catch (GeneralSecurityException e) {
                throw new CryptoException("cannot add a data key to project " + project, e);
            }
        }
        throw new CryptoException("could not rotate the data key of project " + project + " (concurrent updates)");
    }

    /** Re-wraps the project's keyset under the master key's primary; false if nothing to do. */
    boolean rewrap(String project, MasterKey key) throws GeneralSecurityException {
        byte[] stored = metadata.findKeyMaterial(materialName(project)).orElse(null);
        if (stored == null || MasterKey.wrappingKeyId(stored) == key.primaryKeyId()) {
            return false;
        }
        KeysetHandle keyset = key.unwrapKeyset(stored, associatedData(project));
        return metadata.replaceKeyMaterial(
                materialName(project), stored, key.wrapKeyset(keyset, associatedData(project)), clock.instant());
    }

    private DataKeys unwrapCached(String project, byte[] wrapped) {
        DataKeys cached = cache.get(project);
        if (cached != null && Arrays.equals(cached.wrapped(), wrapped)) {
            return cached;
        }
        KeysetHandle handle;
        try {
            byte[] serialized = master.unwrap(wrapped, associatedData(project), "the data key of project " + project);
            handle = com.google.crypto.tink.TinkProtoKeysetFormat.parseKeyset(
                    serialized, com.google.crypto.tink.InsecureSecretKeyAccess.get());
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < handle.size(); i++) {
                ids.add(handle.getAt(i).getId());
            }
            DataKeys keys = new DataKeys(
                    handle.getPrimary().getId(), Set.copyOf(ids), Tink.streamingAead(handle), handle, wrapped.clone());
            cache.put(project, keys);
            return keys;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the data key of project " + project + " is unreadable", e);
        }
    }

    private byte[] wrapKeyset(String project, KeysetHandle keyset) {
        try {
            byte[] serialized = com.google.crypto.tink.TinkProtoKeysetFormat.serializeKeyset(
                    keyset, com.google.crypto.tink.InsecureSecretKeyAccess.get());
            return master.wrapNew(serialized, associatedData(project));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot serialize the data key of project " + project, e);
        }
    }

    private static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(NEW_KEY_PARAMETERS);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot generate a data key", e);
        }
    }

    private static AesGcmHkdfStreamingParameters newKeyParameters() {
        try {
            return AesGcmHkdfStreamingParameters.builder()
                    .setKeySizeBytes(32)
                    .setDerivedAesGcmKeySizeBytes(32)
                    .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                    .setCiphertextSegmentSizeBytes(64 * 1024)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static byte[] associatedData(String project) {
        return ("statefort-project-keyset:" + project).getBytes(StandardCharsets.UTF_8);
    }
}
