package dev.statefort.core.auth;

import dev.statefort.core.StatefortException;

/** Credentials are invalid, or valid but not for this project or permission; answered with 403. */
public class AccessDeniedException extends StatefortException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
