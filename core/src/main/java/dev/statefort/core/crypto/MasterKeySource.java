package dev.statefort.core.crypto;

/** Where the master key comes from: a key file, or an environment variable. */
public interface MasterKeySource {
    /** Reads the key now (sources may change during a rotation); throws {@link CryptoException}. */
    MasterKey load();

    /** For messages: "master key file /etc/statefort/master.key". */
    String description();

    /** Whether {@link #save} can replace the key (a file can, an environment variable cannot). */
    boolean isWritable();

    /** Atomically replaces the stored key. */
    void save(MasterKey key);
}
