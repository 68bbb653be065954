package dev.statefort.server.http;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /healthz} (the process answers) and {@code /readyz} (its stores answer too), for anyone. */
public final class HealthChecks implements Surface<HealthChecks.Endpoint> {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange) throws IOException;
    }

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final RouteTable<Endpoint> routes;

    public HealthChecks(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.routes = RouteTable.<Endpoint>builder()
                .add("GET", "/healthz", Access.anyone(), ex -> ex.sendText(200, "ok"))
                .add("GET", "/readyz", Access.anyone(), this::ready)
                .build();
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/healthz") || path.equals("/readyz");
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange exchange, RouteTable.Match<Endpoint> match) throws IOException {
        match.route().endpoint().handle(exchange);
    }

    private void ready(Exchange exchange) throws IOException {
        try {
            metadata.ping();
            blobs.ping();
            exchange.sendText(200, "ready");
        } catch (StoreUnavailableException e) {
            LOG.warn("not ready: {}", e.getMessage());
            exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(HttpErrors.RETRY_AFTER_SECONDS));
            exchange.sendText(503, "not ready: " + e.getMessage());
        }
    }
}
