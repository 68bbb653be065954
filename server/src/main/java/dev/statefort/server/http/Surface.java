package dev.statefort.server.http;

import java.io.IOException;

/**
 * One part of the server with its own route table, its own way to authenticate and its own error
 * rendering: the Terraform backend, the REST API, the web UI, health. {@link StatefortHandler}
 * picks the surface by path, matches the route (404/405 before any authentication), applies the
 * cross-site check, then lets the surface run the route.
 */
public interface Surface<E> {
    /** Whether {@code path} is this surface's. */
    boolean owns(String path);

    RouteTable<E> routes();

    /** Authenticates as the surface does, checks {@link RouteTable.Route#access()}, and runs the endpoint. */
    void dispatch(Exchange exchange, RouteTable.Match<E> match) throws IOException;

    /** Sends an error in this surface's form: plain text unless the surface says otherwise. */
    default void sendError(Exchange exchange, int status, String message) throws IOException {
        exchange.sendText(status, message);
    }

    /**
     * Whether people use this surface in a browser. A 401 from any other carries a Bearer challenge,
     * never Basic: a Basic challenge makes a browser ask for and then keep credentials that it would
     * send with other sites' requests. No client needs one: Terraform, OpenTofu and curl send Basic
     * credentials unasked.
     */
    default boolean servesBrowsers() {
        return false;
    }
}
