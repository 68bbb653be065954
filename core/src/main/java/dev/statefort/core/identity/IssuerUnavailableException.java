package dev.statefort.core.identity;

import dev.statefort.core.StatefortException;

/**
 * The signing keys of an issuer cannot be had (its discovery document or JWKS does not answer):
 * its tokens cannot be checked now. Answered with 503 and Retry-After; every other credential keeps
 * working.
 */
public class IssuerUnavailableException extends StatefortException {
    /** How long a client should wait: the shortest time before the keys are fetched again. */
    public static final int RETRY_AFTER_SECONDS = 30;

    public IssuerUnavailableException(String message) {
        super(message);
    }

    public int retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
