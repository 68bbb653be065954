package dev.statefort.core;

/** Base of every domain exception; the HTTP layer maps each subtype to one status in one place. */
public abstract class StatefortException extends RuntimeException {
    protected StatefortException(String message) {
        super(message);
    }

    protected StatefortException(String message, Throwable cause) {
        super(message, cause);
    }
}
