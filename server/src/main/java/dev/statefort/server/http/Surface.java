package dev.statefort.server.http;

import java.io.IOException;

/**
 * One part of the server with its own route table, its own way to authenticate and its own error
 * rendering: the Terraform backend, the REST API, the web UI, health. {@link StatefortHandler}
 * picks the surface by path, matches the route (404/405 before any authentication), applies the
 * cross-site check, then lets the surface run the route.
 */
interface Surface<E> {
    /** Whether {@code path} is this surface's. */
    boolean owns(String path);

    RouteTable<E> routes();

    /** Authenticates as the surface does, checks {@link RouteTable.Route#access()}, and runs the endpoint. */
    void dispatch(Exchange exchange, RouteTable.Match<E> match) throws IOException;
}
