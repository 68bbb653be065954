package dev.statefort.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line of the access log ({@code access-log = on}): what was asked (the route's template, never
 * the raw path, so no state or token name of a URL is repeated), the answer's status and size, how
 * long it took, who asked (a principal's name) and the request ID. Never a body, a token or an
 * {@code Authorization} header.
 *
 * @param route the route template, or null when no route matched
 * @param principal the authenticated principal's name, or null
 */
record AccessLogEntry(
        String method,
        String route,
        int status,
        long bytes,
        long nanos,
        String principal,
        String requestId,
        String remoteAddress) {
    private static final Logger LOG = LoggerFactory.getLogger("statefort.access");

    /** Logs it on {@code statefort.access}: a readable message, and every field as a key-value pair for JSON logs. */
    void log() {
        long millis = nanos / 1_000_000;
        LOG.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("route", route == null ? "-" : route)
                .addKeyValue("status", status)
                .addKeyValue("bytes", bytes)
                .addKeyValue("durationMs", millis)
                .addKeyValue("principal", principal == null ? "-" : principal)
                .addKeyValue("requestId", requestId)
                .addKeyValue("remoteAddress", remoteAddress)
                .log(
                        "{} {} {} {}B {}ms principal={} request={} from={}",
                        method,
                        route == null ? "-" : route,
                        status,
                        bytes,
                        millis,
                        principal == null ? "-" : principal,
                        requestId,
                        remoteAddress);
    }
}
