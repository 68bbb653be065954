package dev.statefort.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * A node's metrics in Prometheus' text format ({@code GET /metrics}), with Micrometer. Labels are
 * bounded: routes by their template (never a raw path), projects by name, outcomes from a fixed set.
 *
 * <ul>
 *   <li>{@code statefort_http_server_requests_seconds{method,route,status}}
 *   <li>{@code statefort_state_writes_total{project,outcome}} (accepted, locked, fenced, refused,
 *       too-large) and {@code statefort_state_write_bytes{project}}
 *   <li>{@code statefort_auth_failures_total{kind}} (failed, throttled)
 *   <li>the JVM's and the process's ({@code jvm_*}, {@code process_*}, {@code system_*})
 * </ul>
 */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public NodeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** One answered request: {@code route} is the route's template, or null when none matched. */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("statefort.http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", method)
                .tag("route", route == null ? "none" : route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One state write and what became of it; {@code bytes} of an accepted one, else -1. */
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

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
