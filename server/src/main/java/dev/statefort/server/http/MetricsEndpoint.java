package dev.statefort.server.http;

import dev.statefort.core.auth.Principal;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics} on the main port: the node's metrics for a global admin's token. */
public final class MetricsEndpoint implements Surface<MetricsEndpoint.Endpoint> {
    static final String PATH = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange) throws IOException;
    }

    private final NodeMetrics metrics;
    private final Authenticator authenticator;
    private final RouteTable<Endpoint> routes;

    public MetricsEndpoint(NodeMetrics metrics, Authenticator authenticator) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.routes = RouteTable.<Endpoint>builder()
                .add("GET", PATH, Access.globalAdmin("reading the metrics"), this::scrape)
                .build();
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH);
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange exchange, RouteTable.Match<Endpoint> match) throws IOException {
        Principal principal = authenticator.authenticate(exchange);
        match.route().access().check(principal, match.path(), null);
        match.route().endpoint().handle(exchange);
    }

    private void scrape(Exchange exchange) throws IOException {
        exchange.send(200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
