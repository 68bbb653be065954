package dev.statefort.core;

/**
 * Too much expensive work of one kind at once (password hashing, state analysis): the request
 * waited its bounded time for a turn and got none. Answered with 503 and Retry-After; the server
 * itself is healthy.
 */
public class OverloadedException extends StatefortException {
    private final int retryAfterSeconds;

    public OverloadedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
