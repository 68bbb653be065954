package dev.statefort.server.http;

import dev.statefort.server.config.TrustedProxies;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of every request: picks the {@link Surface} by path, matches its route table (404/405
 * before any authentication), applies the cross-site check, lets the surface run the route, and
 * renders every failure through {@link HttpErrors}. Runs on virtual threads.
 */
public final class StatefortHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(StatefortHandler.class);

    private final List<Surface<?>> surfaces;
    private final String publicUrl;
    private final TrustedProxies proxies;
    private final Drain drain;
    private final long maxUploadBytes;
    private final boolean accessLog;
    private final NodeMetrics metrics;

    /**
     * {@code surfaces} in the order they are asked whether a path is theirs; {@code maxUploadBytes}
     * bounds a file uploaded through a UI form (the state size limit); {@code accessLog} logs a line
     * per request ({@link AccessLogEntry}).
     */
    public StatefortHandler(
            List<Surface<?>> surfaces,
            String publicUrl,
            TrustedProxies proxies,
            Drain drain,
            long maxUploadBytes,
            boolean accessLog,
            NodeMetrics metrics) {
        this.surfaces = List.copyOf(surfaces);
        this.publicUrl = publicUrl;
        this.proxies = proxies;
        this.drain = drain;
        this.maxUploadBytes = maxUploadBytes;
        this.accessLog = accessLog;
        this.metrics = metrics;
    }

    /** Every route of every surface as {@code METHOD /template}, for the authorization matrix and the docs. */
    public List<RouteTable.Route<?>> routes() {
        List<RouteTable.Route<?>> all = new ArrayList<>();
        for (Surface<?> surface : surfaces) {
            all.addAll(surface.routes().routes());
        }
        return all;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, publicUrl, proxies, maxUploadBytes);
        if (drain.isDraining()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        String path = exchange.path();
        Surface<?> surface =
                surfaces.stream().filter(s -> s.owns(path)).findFirst().orElse(null);
        try {
            if (surface == null) {
                throw RouteTable.notFound(path);
            }
            dispatch(surface, exchange);
            callback.succeeded();
        } catch (Throwable failure) {
            fail(exchange, surface, failure, callback);
        } finally {
            exchange.releaseUploads();
            AccessLogEntry done = exchange.accessLogEntry();
            metrics.request(done.method(), done.route(), done.status(), done.nanos());
            if (accessLog) {
                done.log();
            }
        }
        return true;
    }

    private static <E> void dispatch(Surface<E> surface, Exchange exchange) throws IOException {
        RouteTable.Match<E> match = surface.routes().match(exchange.method(), exchange.path());
        exchange.routed(match.route().template());
        BrowserRequestGuard.check(exchange);
        surface.dispatch(exchange, match);
    }

    /** The error in the form of the path's surface (plain text for a path no surface owns). */
    private void fail(Exchange exchange, Surface<?> surface, Throwable failure, Callback callback) {
        if (exchange.isCommitted()) {
            LOG.warn(
                    "{} {} failed after the response started: {}",
                    exchange.method(),
                    exchange.pathForLogs(),
                    failure.toString());
            callback.failed(failure);
            return;
        }
        HttpErrors.HttpError error = HttpErrors.of(failure, exchange.method(), exchange.pathForLogs());
        try {
            if (error.retryAfterSeconds() != null) {
                exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
            }
            if (error.allow() != null) {
                exchange.header(HttpHeader.ALLOW, error.allow());
            }
            if (error.status() == 401 && (surface == null || !surface.servesBrowsers())) {
                exchange.header(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"statefort\"");
            }
            if (surface == null) {
                exchange.sendText(error.status(), error.message());
            } else {
                surface.sendError(exchange, error.status(), error.message());
            }
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
        }
    }
}
