package dev.statefort.core.crypto;

/** The configured master key is not the one this data was encrypted under; start-up stops. */
public class WrongMasterKeyException extends CryptoException {
    public WrongMasterKeyException(String message) {
        super(message);
    }
}
