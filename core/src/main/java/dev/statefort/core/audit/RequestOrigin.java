package dev.statefort.core.audit;

/**
 * The client address of the request the current thread serves, for the audit log. The HTTP layer
 * sets it around each request (one request per virtual thread) and clears it after; work outside a
 * request (CLI, start-up) has none.
 */
public final class RequestOrigin {
    private static final ThreadLocal<String> SOURCE_IP = new ThreadLocal<>();

    private RequestOrigin() {}

    public static void set(String sourceIp) {
        SOURCE_IP.set(sourceIp);
    }

    public static void clear() {
        SOURCE_IP.remove();
    }

    /** The client address, or null outside a request. */
    public static String sourceIp() {
        return SOURCE_IP.get();
    }
}
