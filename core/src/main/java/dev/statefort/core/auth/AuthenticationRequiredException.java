package dev.statefort.core.auth;

import dev.statefort.core.StatefortException;

/** The request carries no credentials; answered with 401. */
public class AuthenticationRequiredException extends StatefortException {
    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
