package dev.statefort.core.spi;

import dev.statefort.core.StatefortException;

/**
 * The database or blob store could not be reached or failed; never thrown for "not found" or for a
 * lost conditional write. Answered with 503 and Retry-After.
 */
public class StoreUnavailableException extends StatefortException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
