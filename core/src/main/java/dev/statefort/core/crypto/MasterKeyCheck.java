package dev.statefort.core.crypto;

import dev.statefort.core.spi.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * A known value wrapped by the master key and kept in the metadata store, so a node started with the
 * wrong master key stops at once with a clear message instead of failing on the first read.
 */
public final class MasterKeyCheck {
    public static final String NAME = "master-check";
    private static final byte[] VALUE = "statefort master key check v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AD = "statefort-master-check".getBytes(StandardCharsets.US_ASCII);

    private MasterKeyCheck() {}

    /** Whether this database holds encrypted data (a check value exists). */
    public static boolean isPresent(MetadataStore metadata) {
        return metadata.findKeyMaterial(NAME).isPresent();
    }

    /** Verifies the master key against the stored check, creating the check on first use. */
    public static void verify(MetadataStore metadata, MasterKeyHolder master, Clock clock) {
        Optional<byte[]> stored = metadata.findKeyMaterial(NAME);
        if (stored.isEmpty()) {
            if (metadata.replaceKeyMaterial(NAME, null, master.wrapNew(VALUE, AD), clock.instant())) {
                return;
            }
            stored = metadata.findKeyMaterial(NAME);
        }
        try {
            byte[] plain = master.current().unwrap(stored.orElseThrow(), AD);
            if (Arrays.equals(plain, VALUE)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // reported below
        }
        throw new WrongMasterKeyException(
                "the master key from " + master.source().description()
                        + " is not the key this data was encrypted with. Start with the right --master-key-file or "
                        + EnvironmentMasterKeySource.VARIABLE + ". If the master key is lost, the encrypted states "
                        + "cannot be recovered (restore the key from your backup).");
    }

    /** Re-wraps the check value under the master key's primary (part of a master rotation). */
    static boolean rewrap(MetadataStore metadata, MasterKey key, Clock clock) throws GeneralSecurityException {
        byte[] stored = metadata.findKeyMaterial(NAME).orElse(null);
        if (stored == null || MasterKey.wrappingKeyId(stored) == key.primaryKeyId()) {
            return false;
        }
        byte[] plain = key.unwrap(stored, AD);
        return metadata.replaceKeyMaterial(NAME, stored, key.wrap(plain, AD), clock.instant());
    }
}
