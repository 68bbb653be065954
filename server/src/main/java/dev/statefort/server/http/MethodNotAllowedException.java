package dev.statefort.server.http;

import dev.statefort.core.StatefortException;

/** The path exists but not with this method; answered with 405 and an Allow header. */
public final class MethodNotAllowedException extends StatefortException {
    private final String allow;

    MethodNotAllowedException(String method, String allow) {
        super("method " + method + " is not allowed here; allowed: " + allow);
        this.allow = allow;
    }

    String allow() {
        return allow;
    }
}
