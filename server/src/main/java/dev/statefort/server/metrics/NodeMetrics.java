package dev.statefort.server.metrics;

import dev.statefort.core.state.WriteOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A node's metrics in Prometheus' text format ({@code GET /metrics}), with Micrometer. Labels are
 * bounded: routes by their template (never a raw path), projects by name, outcomes from a fixed set.
 *
 * <ul>
 *   <li>{@code statefort_http_server_requests_seconds{method,route,status}}
 *   <li>{@code statefort_state_writes_total{project,outcome}} (accepted, locked, fenced, refused,
 *       too-large) and {@code statefort_state_write_bytes{project}}
 *   <li>{@code statefort_auth_failures_total{kind}} (failed, throttled)
 *   <li>{@code statefort_lock_requests_total{project,outcome}} (acquired, held: a client that waits
 *       under {@code -lock-timeout}); {@code statefort_locks_held}, {@code statefort_locks_stale}
 *   <li>{@code statefort_store_operations_seconds{profile,operation,outcome}} (put, open, delete,
 *       exists, ping; ok, not-found, unavailable, aborted (a put whose upload broke off), error)
 *   <li>{@code statefort_blob_codec_seconds{stage}} (compress, encrypt, decrypt, decompress)
 *   <li>{@code statefort_read_cache_requests_total{result}} (hit, miss)
 *   <li>{@code disk_free_bytes{path}} and {@code disk_total_bytes{path}} of the data directory
 *   <li>the JVM's and the process's ({@code jvm_*}, {@code process_*}, {@code system_*}), bound by
 *       {@link #bindProcessMetrics} (a server; a CLI command has no use for them)
 * </ul>
 *
 * <p>Latencies have histogram buckets ({@code _bucket{le=...}}) so that a dashboard can draw
 * quantiles across nodes.
 */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private boolean processBound;
    /** What function meters read: kept here because the registry holds them weakly. */
    private final java.util.List<Object> functionSources = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Bucket bounds of every latency histogram: 1 ms to 30 s. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };

    /** The JVM's, the process's and the data directory's disk space: for a serving node. */
    public synchronized void bindProcessMetrics(Path dataDir) {
        if (processBound) {
            return;
        }
        processBound = true;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new DiskSpaceMetrics(dataDir.toFile()).bindTo(registry);
    }

    /** Methods named in the request meter; any other is {@code other} (a label set nobody can grow). */
    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "LOCK", "UNLOCK");

    private final java.util.concurrent.ConcurrentMap<String, Timer> requestTimers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentMap<String, Timer> storeTimers =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** One answered request: {@code route} is the route's template, or null when none matched. */
    public void request(String method, String route, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "other";
        String r = route == null ? "none" : route;
        requestTimers
                .computeIfAbsent(m + ' ' + r + ' ' + status, key -> Timer.builder("statefort.http.server.requests")
                        .description("HTTP requests by route template, method and status")
                        .tag("method", m)
                        .tag("route", r)
                        .tag("status", Integer.toString(status))
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One state write and what became of it; {@code bytes} of an accepted one, else -1. */
    /** A write's outcome, as {@link #stateWrite(String, String, long)} counts it (the backend's and the TFE API's). */
    public void stateWrite(String project, WriteOutcome outcome) {
        stateWrite(
                project,
                switch (outcome) {
                    case WriteOutcome.Written w -> "accepted";
                    case WriteOutcome.Locked l -> "locked";
                    case WriteOutcome.Fenced f -> "fenced";
                    case WriteOutcome.PlanLockOnly p -> "under-plan-lock";
                    case WriteOutcome.Refused r -> "refused-by-guard";
                },
                outcome instanceof WriteOutcome.Written w ? w.version().size() : -1);
    }

    public void stateWrite(String project, String outcome, long bytes) {
        Counter.builder("statefort.state.writes")
                .description("State writes by project and outcome")
                .tag("project", project)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        if (bytes >= 0) {
            DistributionSummary.builder("statefort.state.write")
                    .description("Sizes of accepted state writes")
                    .baseUnit("bytes")
                    .tag("project", project)
                    .register(registry)
                    .record(bytes);
        }
    }

    /** A failed authentication, or one answered 429 by the throttle. */
    public void authFailure(boolean throttled) {
        Counter.builder("statefort.auth.failures")
                .description("Failed authentications, and those refused by the throttle")
                .tag("kind", throttled ? "throttled" : "failed")
                .register(registry)
                .increment();
    }

    /** A LOCK request: {@code acquired}, or {@code held} by another (the client waits and retries). */
    public void lockRequest(String project, boolean acquired) {
        Counter.builder("statefort.lock.requests")
                .description("LOCK requests by project and outcome (held: refused, the client waits)")
                .tag("project", project)
                .tag("outcome", acquired ? "acquired" : "held")
                .register(registry)
                .increment();
    }

    /**
     * The locks held and the stale ones among them, read from {@code census} at most every {@code
     * every} (counting walks every state).
     */
    public void lockGauges(LockCounts census, Duration every) {
        CachedCounts counts = new CachedCounts(census, every.toNanos());
        // strong references: the registry is the only holder of these suppliers
        Gauge.builder("statefort.locks.held", counts, c -> c.get()[0])
                .description("State locks held now (all projects)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("statefort.locks.stale", counts, c -> c.get()[1])
                .description("Held locks idle longer than their project's stale-lock threshold")
                .strongReference(true)
                .register(registry);
    }

    /**
     * The fleet by project, made anew from {@code counts} (project name to {@code {states, locked
     * states, resource instances}}) on every call: one series per project and gauge, never one per
     * state, and a project gone is dropped.
     */
    public void fleetCounts(java.util.Map<String, long[]> counts) {
        for (int i = 0; i < FLEET_GAUGES.length; i++) {
            int column = i;
            fleetGauges[i].register(
                    counts.entrySet().stream()
                            .map(e -> io.micrometer.core.instrument.MultiGauge.Row.of(
                                    io.micrometer.core.instrument.Tags.of("project", e.getKey()), e.getValue()[column]))
                            .toList(),
                    true);
        }
    }

    private static final String[][] FLEET_GAUGES = {
        {"statefort.fleet.states", "States by project"},
        {"statefort.fleet.states.locked", "States with a lock held, by project"},
        {"statefort.fleet.resources", "Resource instances in the states' current versions, by project"}
    };

    private final io.micrometer.core.instrument.MultiGauge[] fleetGauges = java.util.Arrays.stream(FLEET_GAUGES)
            .map(g -> io.micrometer.core.instrument.MultiGauge.builder(g[0])
                    .description(g[1])
                    .register(registry))
            .toArray(io.micrometer.core.instrument.MultiGauge[]::new);

    /** Counts the locks held and the stale ones: {@code {held, stale}}. */
    @FunctionalInterface
    public interface LockCounts {
        long[] count();
    }

    /** One blob store call of a storage profile and how it ended. */
    public void storeOperation(String profile, String operation, String outcome, long nanos) {
        storeTimers
                .computeIfAbsent(
                        profile + ' ' + operation + ' ' + outcome, key -> Timer.builder("statefort.store.operations")
                                .description("Blob store calls by storage profile, operation and outcome")
                                .tag("profile", profile)
                                .tag("operation", operation)
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time spent compressing, encrypting, decrypting or decompressing one blob. */
    public void codec(String stage, long nanos) {
        Timer.builder("statefort.blob.codec")
                .description("Time spent in zstd and in the streaming AEAD, per blob and stage")
                .tag("stage", stage)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The read cache's hits and misses, read from the cache's own counters. */
    public void readCache(LongSupplier hits, LongSupplier misses) {
        readCacheCounter("hit", hits);
        readCacheCounter("miss", misses);
    }

    private void readCacheCounter(String result, LongSupplier count) {
        FunctionCounter.builder(
                        "statefort.read.cache.requests", count, (ToDoubleFunction<LongSupplier>) c -> c.getAsLong())
                .description("Reads of a version's decoded bytes served from the cache (hit) or the store (miss)")
                .tag("result", result)
                .register(registry);
        functionSources.add(count); // a function counter holds its source weakly
    }

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** A count recomputed at most every {@code everyNanos}; a failing count keeps the last one. */
    private static final class CachedCounts {
        private final LockCounts census;
        private final long everyNanos;
        private static final double[] UNKNOWN = {Double.NaN, Double.NaN};
        private double[] last = {0, 0};
        private long readAt;
        private boolean read;

        CachedCounts(LockCounts census, long everyNanos) {
            this.census = census;
            this.everyNanos = everyNanos;
        }

        synchronized double[] get() {
            long now = System.nanoTime();
            if (!read || now - readAt >= everyNanos) {
                try {
                    long[] counted = census.count();
                    last = new double[] {counted[0], counted[1]};
                } catch (RuntimeException e) {
                    // the database is away (/readyz says so): no count, rather than an old one as if current
                    last = UNKNOWN;
                }
                read = true;
                readAt = now;
            }
            return last;
        }
    }
}
