package dev.statefort.core.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink primitives Statefort uses, once, and gets primitives from keysets. */
final class Tink {
    static {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Tink() {}

    /** Touching this class registers the primitives; classes that generate or parse keys call it first. */
    static void ensureRegistered() {
        // the static initializer did the work
    }

    static Aead aead(KeysetHandle handle) throws GeneralSecurityException {
        return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    static StreamingAead streamingAead(KeysetHandle handle) throws GeneralSecurityException {
        return handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    }

    /** Key IDs are unsigned 32-bit in Tink's wire format; shown as 8 hex digits. */
    static String keyIdText(int keyId) {
        return String.format("%08x", keyId);
    }
}
