package dev.statefort.server.http;

/** Too many failed authentications from one source: 429 with Retry-After. */
public final class TooManyFailuresException extends RuntimeException {
    private final int retryAfterSeconds;

    TooManyFailuresException(int retryAfterSeconds) {
        super("too many failed authentications from this address; retry after " + retryAfterSeconds + " seconds");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
