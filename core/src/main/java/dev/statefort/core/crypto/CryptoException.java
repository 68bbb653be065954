package dev.statefort.core.crypto;

import dev.statefort.core.StatefortException;

/** A key could not be loaded, unwrapped or generated; the message says which and what to do. */
public class CryptoException extends StatefortException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
