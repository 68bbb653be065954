package dev.statefort.server.http;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.storage.StorageHealth;
import dev.statefort.core.storage.StorageProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (its stores answer too), for anyone.
 * Ready means the node is not shutting down ({@link Drain}) and the database and the default storage profile answer; another profile that does not
 * is named in the answer ("degraded") but leaves the node ready, because its projects get 503 while
 * every other project is served, and a load balancer must keep sending those.
 */
public final class HealthChecks implements Surface<HealthChecks.Endpoint> {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange) throws IOException;
    }

    private final MetadataStore metadata;
    private final StorageProfiles storage;
    private final StorageHealth health;
    private final Drain drain;
    private final RouteTable<Endpoint> routes;
    private final Path dataDir;
    private final long minFreeBytes;

    /**
     * @param dataDir the data directory, whose free space is reported when below {@code minFreeBytes}
     *     (0: never)
     */
    public HealthChecks(
            MetadataStore metadata,
            StorageProfiles storage,
            StorageHealth health,
            Drain drain,
            Path dataDir,
            long minFreeBytes) {
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
        this.metadata = metadata;
        this.storage = storage;
        this.health = health;
        this.drain = drain;
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

    /**
     * The data directory's file system has less free space than {@code min-free-space}: the node
     * stays ready (reads go on, and writes that fit still succeed), and says so.
     */
    private Optional<String> lowSpace() {
        if (minFreeBytes <= 0) {
            return Optional.empty();
        }
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < minFreeBytes) {
                return Optional.of("low disk space: the data directory has " + free + " bytes free (below"
                        + " min-free-space, " + minFreeBytes + "); writes fail with 507 once it is full");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the data directory's free space cannot be read: " + e.getMessage());
        }
    }

    private void ready(Exchange exchange) throws IOException {
        if (drain.isDraining()) {
            exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(HttpErrors.RETRY_AFTER_SECONDS));
            exchange.sendText(503, "not ready: shutting down");
            return;
        }
        try {
            metadata.ping();
            List<String> degraded = new ArrayList<>();
            health.check().forEach((name, result) -> {
                if (result.healthy()) {
                    return;
                }
                String problem = result.full()
                        ? "storage profile '" + name + "' is full (reads go on, writes get 507): " + result.problem()
                        : "storage profile '" + name + "' is unavailable: " + result.problem();
                if (name.equals(storage.defaultName()) && !result.full()) {
                    throw new StoreUnavailableException(problem);
                }
                LOG.warn("degraded: {}", problem);
                degraded.add(problem);
            });
            lowSpace().ifPresent(problem -> {
                LOG.warn("degraded: {}", problem);
                degraded.add(problem);
            });
            exchange.sendText(200, degraded.isEmpty() ? "ready" : "ready, degraded: " + String.join("; ", degraded));
        } catch (StoreUnavailableException e) {
            LOG.warn("not ready: {}", e.getMessage());
            exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(HttpErrors.RETRY_AFTER_SECONDS));
            exchange.sendText(503, "not ready: " + e.getMessage());
        }
    }
}
