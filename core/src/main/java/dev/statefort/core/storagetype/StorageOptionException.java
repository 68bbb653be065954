package dev.statefort.core.storagetype;

import dev.statefort.core.InvalidInputException;

/** An option of {@code statefort import --from-<type>} is wrong; the message names it and how to fix it. */
public final class StorageOptionException extends InvalidInputException {
    public StorageOptionException(String message) {
        super(message);
    }
}
