package dev.statefort.server.http;

import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.storage.StorageHealth;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.core.usecases.StorageUseCases;
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
 *
 * <p>What is wrong is said in two parts: what (the database, a profile by name, low disk space),
 * which anyone may read, and why (a store's error: paths, buckets, accounts, database messages),
 * which goes to the log and, on the management listener only ({@link #withDetails}), into the answer.
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
    private final boolean details;

    /** Something {@code /readyz} reports: what it is (for anyone) and why (for the log and the management port). */
    record Problem(String what, String why) {
        String shown(boolean withWhy) {
            return withWhy && why != null ? what + ": " + why : what;
        }
    }

    /**
     * @param dataDir the data directory, whose free space is reported when below {@code minFreeBytes}
     *     (0: never)
     */
    public HealthChecks(MetadataStore metadata, StorageUseCases storage, Drain drain, Path dataDir, long minFreeBytes) {
        this(metadata, storage.profiles(), storage.health(), drain, dataDir, minFreeBytes, false);
    }

    private HealthChecks(
            MetadataStore metadata,
            StorageProfiles storage,
            StorageHealth health,
            Drain drain,
            Path dataDir,
            long minFreeBytes,
            boolean details) {
        this.details = details;
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

    /** The same checks for the management listener, whose {@code /readyz} also says why. */
    public HealthChecks withDetails() {
        return new HealthChecks(metadata, storage, health, drain, dataDir, minFreeBytes, true);
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
    private Optional<Problem> lowSpace() {
        if (minFreeBytes <= 0) {
            return Optional.empty();
        }
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < minFreeBytes) {
                return Optional.of(new Problem(
                        "low disk space in the data directory (writes fail with 507 once it is full)",
                        free + " bytes free, below min-free-space (" + minFreeBytes + ")"));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Problem("the data directory's free space cannot be read", e.getMessage()));
        }
    }

    private void ready(Exchange exchange) throws IOException {
        if (drain.isDraining()) {
            exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(HttpErrors.RETRY_AFTER_SECONDS));
            exchange.sendText(503, "not ready: shutting down");
            return;
        }
        List<Problem> degraded = new ArrayList<>();
        Optional<Problem> notReady = check(degraded);
        if (notReady.isPresent()) {
            LOG.warn("not ready: {}", notReady.get().shown(true));
            exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(HttpErrors.RETRY_AFTER_SECONDS));
            exchange.sendText(503, "not ready: " + notReady.get().shown(details));
            return;
        }
        degraded.forEach(problem -> LOG.warn("degraded: {}", problem.shown(true)));
        exchange.sendText(
                200,
                degraded.isEmpty()
                        ? "ready"
                        : "ready, degraded: "
                                + String.join(
                                        "; ",
                                        degraded.stream()
                                                .map(p -> p.shown(details))
                                                .toList()));
    }

    /** What makes the node not ready (the database, the default profile), else empty; what degrades it goes to {@code degraded}. */
    private Optional<Problem> check(List<Problem> degraded) {
        try {
            metadata.ping();
        } catch (StoreUnavailableException e) {
            return Optional.of(new Problem("the database is unavailable", e.getMessage()));
        }
        for (var entry : health.check().entrySet()) {
            String name = entry.getKey();
            StorageHealth.Result result = entry.getValue();
            if (result.healthy()) {
                continue;
            }
            Problem problem = result.full()
                    ? new Problem(
                            "storage profile '" + name + "' is full (reads go on, writes get 507)", result.problem())
                    : new Problem("storage profile '" + name + "' is unavailable", result.problem());
            if (name.equals(storage.defaultName()) && !result.full()) {
                return Optional.of(problem);
            }
            degraded.add(problem);
        }
        lowSpace().ifPresent(degraded::add);
        return Optional.empty();
    }
}
