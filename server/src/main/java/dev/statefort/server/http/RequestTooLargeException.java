package dev.statefort.server.http;

import dev.statefort.core.StatefortException;

/** A small request body (LockInfo, API JSON) over its limit; answered with 413. */
public final class RequestTooLargeException extends StatefortException {
    RequestTooLargeException(String what, int limit) {
        super(what + " is larger than the limit of " + limit + " bytes");
    }
}
