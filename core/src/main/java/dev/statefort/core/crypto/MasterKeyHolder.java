package dev.statefort.core.crypto;

import java.security.GeneralSecurityException;

/**
 * The master key a node uses, following rotations: new material is wrapped with the key as it is
 * in its source right now, and an unwrap that fails re-reads the source once before giving up.
 */
public final class MasterKeyHolder {
    private final MasterKeySource source;
    private volatile MasterKey current;

    public MasterKeyHolder(MasterKeySource source) {
        this.source = source;
        this.current = source.load();
    }

    public MasterKeySource source() {
        return source;
    }

    public MasterKey current() {
        return current;
    }

    byte[] wrapNew(byte[] plaintext, byte[] associatedData) {
        current = source.load();
        return current.wrap(plaintext, associatedData);
    }

    byte[] unwrap(byte[] ciphertext, byte[] associatedData, String what) {
        try {
            return current.unwrap(ciphertext, associatedData);
        } catch (GeneralSecurityException first) {
            MasterKey reloaded = source.load();
            try {
                byte[] plain = reloaded.unwrap(ciphertext, associatedData);
                current = reloaded;
                return plain;
            } catch (GeneralSecurityException e) {
                throw new CryptoException("the master key from " + source.description() + " cannot decrypt " + what
                        + " (wrapped by master key " + Tink.keyIdText(MasterKey.wrappingKeyId(ciphertext))
                        + "); is it the right master key?");
            }
        }
    }
}
