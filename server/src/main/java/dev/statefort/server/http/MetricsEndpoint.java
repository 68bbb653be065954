package dev.statefort.server.http;

import dev.statefort.core.auth.Principal;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the node's metrics, for a global admin's token on the main port ({@link
 * #forAdmins}) and for anyone on the management listener ({@link #open}), which is bound to a
 * monitoring address of its own.
 */
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

    private MetricsEndpoint(NodeMetrics metrics, Authenticator authenticator, Access access) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.routes = RouteTable.<Endpoint>builder()
                .add("GET", PATH, access, this::scrape)
                .build();
    }

    /** The main port's: a global admin's credential. */
    public static MetricsEndpoint forAdmins(NodeMetrics metrics, Authenticator authenticator) {
        return new MetricsEndpoint(metrics, authenticator, Access.globalAdmin("reading the metrics"));
    }

    /** The management listener's: no credentials. */
    public static MetricsEndpoint open(NodeMetrics metrics) {
        return new MetricsEndpoint(metrics, null, Access.anyone());
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
        if (match.route().access().needsCredentials()) {
            Principal principal = authenticator.authenticate(exchange);
            match.route().access().check(principal, match.path(), null);
        }
        match.route().endpoint().handle(exchange);
    }

    private void scrape(Exchange exchange) throws IOException {
        exchange.send(200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
