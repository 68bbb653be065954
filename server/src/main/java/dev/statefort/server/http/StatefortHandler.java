package dev.statefort.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.RequestOrigin;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes by path prefix, and renders every failure through {@link HttpErrors}. Runs on virtual threads. */
final class StatefortHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(StatefortHandler.class);

    private final TerraformBackendHandler backend;
    private final ApiHandler api;
    private final UiHandler ui;
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final ObjectMapper json;
    private final String publicUrl;

    StatefortHandler(
            TerraformBackendHandler backend,
            ApiHandler api,
            UiHandler ui,
            MetadataStore metadata,
            BlobStore blobs,
            ObjectMapper json,
            String publicUrl) {
        this.backend = backend;
        this.api = api;
        this.ui = ui;
        this.metadata = metadata;
        this.blobs = blobs;
        this.json = json;
        this.publicUrl = publicUrl;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, publicUrl);
        String path = exchange.path();
        boolean isApi = path.startsWith(ApiHandler.PREFIX);
        boolean isUi = UiHandler.owns(path);
        RequestOrigin.set(exchange.remoteAddress());
        try {
            if (!Routes.allows(exchange.method(), path)) {
                var methods = Routes.methodsFor(path);
                if (methods.isEmpty()) {
                    throw new NotFoundException("nothing at " + path
                            + "; the backend lives under /tf/{project}/{state}, the API under /api/v1 (see docs/api.md),"
                            + " the web UI under /ui/");
                }
                throw new MethodNotAllowedException(exchange.method(), String.join(", ", methods));
            }
            BrowserRequestGuard.check(exchange);
            if (path.startsWith(TerraformBackendHandler.PREFIX)) {
                backend.handle(exchange);
            } else if (isApi) {
                api.handle(exchange);
            } else if (isUi) {
                ui.handle(exchange);
            } else if (path.equals("/healthz")) {
                exchange.sendText(200, "ok");
            } else if (path.equals("/readyz")) {
                ready(exchange);
            } else {
                throw new NotFoundException("nothing at " + path + "; the backend lives under /tf/{project}/{state}");
            }
            callback.succeeded();
        } catch (Throwable failure) {
            fail(exchange, isApi, isUi, failure, callback);
        } finally {
            RequestOrigin.clear();
        }
        return true;
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
