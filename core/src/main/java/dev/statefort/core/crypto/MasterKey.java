package dev.statefort.core.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * The key-encryption key: a Tink AEAD keyset (AES256_GCM) that wraps every project's data keyset.
 * Stored as Tink's JSON keyset format in the master key file or in {@code STATEFORT_MASTER_KEY}.
 * During a rotation it holds two keys: the new primary wraps, both unwrap.
 */
public final class MasterKey {
    static {
        Tink.ensureRegistered();
    }

    private final KeysetHandle handle;
    private final Aead aead;

    private MasterKey(KeysetHandle handle) throws GeneralSecurityException {
        this.handle = handle;
        this.aead = Tink.aead(handle);
    }

    /** A fresh master key with one AES256_GCM key. */
    public static MasterKey generate() {
        try {
            return new MasterKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot generate a master key", e);
        }
    }

    /** Parses a master key in Tink's JSON keyset format; {@code origin} names where it came from. */
    public static MasterKey parse(String json, String origin) {
        try {
            return new MasterKey(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CryptoException(origin + " does not hold a Statefort master key (a Tink JSON AEAD keyset)", e);
        }
    }

    public String toJson() {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot serialize the master key", e);
        }
    }

    public int primaryKeyId() {
        return handle.getPrimary().getId();
    }

    /** How many keys the keyset holds (2 while a rotation is unfinished). */
    public int keyCount() {
        return handle.size();
    }

    /** The same keyset plus a new AES256_GCM key that becomes primary. */
    public MasterKey withNewPrimary() {
        try {
            return new MasterKey(KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot add a master key", e);
        }
    }

    /** The keyset with only its primary key left (the end of a rotation). */
    public MasterKey withOnlyPrimary() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (handle.getAt(i).getId() != handle.getPrimary().getId()) {
                    builder.deleteAt(i);
                }
            }
            return new MasterKey(builder.build());
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot drop old master keys", e);
        }
    }

    byte[] wrap(byte[] plaintext, byte[] associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot wrap key material", e);
        }
    }

    byte[] unwrap(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return aead.decrypt(ciphertext, associatedData);
    }

    byte[] wrapKeyset(KeysetHandle keyset, byte[] associatedData) {
        try {
            return wrap(TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()), associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot serialize a data keyset", e);
        }
    }

    KeysetHandle unwrapKeyset(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseKeyset(unwrap(wrapped, associatedData), InsecureSecretKeyAccess.get());
    }

    /** The ID of the master key that wrapped {@code ciphertext} (Tink's 5-byte output prefix). */
    static int wrappingKeyId(byte[] ciphertext) {
        return ciphertext.length < 5 ? 0 : ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    }

    @Override
    public String toString() {
        return "MasterKey[primary=" + Tink.keyIdText(primaryKeyId()) + ", keys=" + keyCount() + "]";
    }
}
