package dev.statefort.server.wiring;

import dev.statefort.core.crypto.CodecTimings;
import dev.statefort.core.crypto.CryptoException;
import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.crypto.EnvironmentMasterKeySource;
import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.MasterKeyCheck;
import dev.statefort.core.crypto.MasterKeyHolder;
import dev.statefort.core.crypto.MasterKeySource;
import dev.statefort.core.crypto.ProjectKeyRing;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ServerConfig;
import java.time.Clock;

/**
 * How a node stores blobs: encrypted under per-project data keys wrapped by the master key (the
 * default), or, only when explicitly configured, in plaintext.
 *
 * @param blobs the store the services use (encrypting, or header-only plaintext)
 * @param keyRing the project data keys, or null with encryption off
 * @param master the master key, or null with encryption off
 * @param generatedKeyFile true when this start generated the master key file
 */
public record Encryption(BlobStore blobs, ProjectKeyRing keyRing, MasterKeyHolder master, boolean generatedKeyFile) {

    static Encryption open(
            ServerConfig config, MetadataStore metadata, BlobStore raw, Clock clock, CodecTimings timings) {
        if (!config.encryption()) {
            if (MasterKeyCheck.isPresent(metadata)) {
                throw new ConfigException("setting 'encryption' is off, but this data is encrypted; "
                        + "start with encryption on and its master key");
            }
            return new Encryption(EncryptingBlobStore.plaintext(raw), null, null, false);
        }
        MasterKeySource source;
        boolean generated = false;
        if (config.masterKeyFromEnvironment() != null) {
            source = new EnvironmentMasterKeySource(config.masterKeyFromEnvironment());
        } else {
            KeyFileMasterKeySource file = new KeyFileMasterKeySource(config.masterKeyFile());
            if (!file.exists()) {
                if (MasterKeyCheck.isPresent(metadata)) {
                    throw new CryptoException(file.description() + " does not exist, but this data was encrypted "
                            + "with a master key. Point --master-key-file (or STATEFORT_MASTER_KEY) at that key; "
                            + "without it the states cannot be decrypted.");
                }
                generated = file.createIfMissing();
            }
            source = file;
        }
        MasterKeyHolder master = new MasterKeyHolder(source);
        MasterKeyCheck.verify(metadata, master, clock);
        ProjectKeyRing ring = new ProjectKeyRing(metadata, master, clock);
        return new Encryption(new EncryptingBlobStore(raw, ring, false, timings), ring, master, generated);
    }
}
