package dev.statefort.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.audit.RequestOrigin;
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
final class StatefortHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(StatefortHandler.class);

    private final TerraformBackendHandler backend;
    private final ApiHandler api;
    private final UiHandler ui;
    private final HealthChecks health;
    private final ObjectMapper json;
    private final String publicUrl;

    StatefortHandler(
            TerraformBackendHandler backend,
            ApiHandler api,
            UiHandler ui,
            HealthChecks health,
            ObjectMapper json,
            String publicUrl) {
        this.backend = backend;
        this.api = api;
        this.ui = ui;
        this.health = health;
        this.json = json;
        this.publicUrl = publicUrl;
    }

    /** Every route of every surface as {@code METHOD /template}, for the authorization matrix and the docs. */
    List<RouteTable.Route<?>> routes() {
        List<RouteTable.Route<?>> all = new ArrayList<>();
        for (Surface<?> surface : List.of(backend, health, api, ui)) {
            all.addAll(surface.routes().routes());
        }
        return all;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, publicUrl);
        String path = exchange.path();
        boolean isApi = api.owns(path);
        boolean isUi = ui.owns(path);
        RequestOrigin.set(exchange.remoteAddress());
        try {
            if (backend.owns(path)) {
                dispatch(backend, exchange);
            } else if (isApi) {
                dispatch(api, exchange);
            } else if (isUi) {
                dispatch(ui, exchange);
            } else if (health.owns(path)) {
                dispatch(health, exchange);
            } else {
                throw RouteTable.notFound(path);
            }
            callback.succeeded();
        } catch (Throwable failure) {
            fail(exchange, isApi, isUi, failure, callback);
        } finally {
            RequestOrigin.clear();
        }
        return true;
    }

    private static <E> void dispatch(Surface<E> surface, Exchange exchange) throws IOException {
        RouteTable.Match<E> match = surface.routes().match(exchange.method(), exchange.path());
        BrowserRequestGuard.check(exchange);
        surface.dispatch(exchange, match);
    }

    private void fail(Exchange exchange, boolean isApi, boolean isUi, Throwable failure, Callback callback) {
        if (exchange.isCommitted()) {
            LOG.warn(
                    "{} {} failed after the response started: {}",
                    exchange.method(),
                    exchange.path(),
                    failure.toString());
            callback.failed(failure);
            return;
        }
        HttpErrors.HttpError error = HttpErrors.of(failure, exchange.method(), exchange.path());
        try {
            if (error.retryAfterSeconds() != null) {
                exchange.header(HttpHeader.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
            }
            if (error.allow() != null) {
                exchange.header(HttpHeader.ALLOW, error.allow());
            }
            if (error.status() == 401 && !isUi) {
                // Bearer, never Basic: a Basic challenge makes a browser ask for and then keep credentials
                // that it would send with other sites' requests. No client needs one: Terraform, OpenTofu
                // and curl send Basic credentials unasked.
                exchange.header(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"statefort\"");
            }
            if (isUi) {
                ui.sendError(exchange, error.status(), error.message());
            } else if (isApi) {
                exchange.sendJson(error.status(), json, ApiViews.ErrorView.of(error.status(), error.message()));
            } else {
                exchange.sendText(error.status(), error.message());
            }
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
        }
    }
}
