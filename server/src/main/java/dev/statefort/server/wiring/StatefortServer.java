package dev.statefort.server.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.config.ClientCertificatePrincipals;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.http.AuthFailureThrottle;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Drain;
import dev.statefort.server.http.HealthChecks;
import dev.statefort.server.http.Logins;
import dev.statefort.server.http.MetricsEndpoint;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.StatefortHandler;
import dev.statefort.server.http.TlsContext;
import dev.statefort.server.http.api.AccessApi;
import dev.statefort.server.http.api.ApiHandler;
import dev.statefort.server.http.api.CredentialsApi;
import dev.statefort.server.http.api.EventApi;
import dev.statefort.server.http.api.FleetApi;
import dev.statefort.server.http.api.IdentityApi;
import dev.statefort.server.http.api.LockPolicyApi;
import dev.statefort.server.http.api.ProjectApi;
import dev.statefort.server.http.api.StateApi;
import dev.statefort.server.http.api.StorageApi;
import dev.statefort.server.http.api.SurgeryApi;
import dev.statefort.server.http.backend.TerraformBackendHandler;
import dev.statefort.server.http.tfe.TfeHandler;
import dev.statefort.server.http.ui.Templates;
import dev.statefort.server.http.ui.UiCredentialPages;
import dev.statefort.server.http.ui.UiFleetPages;
import dev.statefort.server.http.ui.UiHandler;
import dev.statefort.server.http.ui.UiHistoryPages;
import dev.statefort.server.http.ui.UiLockPolicyPages;
import dev.statefort.server.http.ui.UiPages;
import dev.statefort.server.http.ui.UiProjectAdminPages;
import dev.statefort.server.http.ui.UiStatic;
import dev.statefort.server.http.ui.UiSurgeryPages;
import dev.statefort.server.http.ui.UiTrustPages;
import dev.statefort.server.http.ui.UiUploadPages;
import dev.statefort.server.http.ui.UiView;
import dev.statefort.server.http.ui.UiWebhookPages;
import dev.statefort.server.metrics.NodeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Jetty server of one node: handlers on virtual threads, bound to the configured address. */
public final class StatefortServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatefortServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final ServerConnector managementConnector;
    private final StatefortHandler handler;
    private final Drain drain;
    private final ServerConfig.Shutdown shutdown;
    private final NodeMetrics metrics;
    private final BackgroundWork background;

    private StatefortServer(
            Server jetty,
            ServerConnector connector,
            ServerConnector managementConnector,
            StatefortHandler handler,
            Drain drain,
            ServerConfig.Shutdown shutdown,
            NodeMetrics metrics,
            BackgroundWork background) {
        this.metrics = metrics;
        this.background = background;
        this.jetty = jetty;
        this.connector = connector;
        this.managementConnector = managementConnector;
        this.handler = handler;
        this.drain = drain;
        this.shutdown = shutdown;
    }

    /** Builds and starts the server; {@link #port()} is the bound port (useful with port 0). */
    public static StatefortServer start(StatefortNode node) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("statefort");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        if (node.config().https()) {
            // HTTP/1.1 only, and only that is offered: no ALPN, so clients never try h2 here.
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server tls = TlsContext.fromPem(node.config().tls());
            connector = new ServerConnector(
                    jetty,
                    new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(node.config().bind());
        connector.setPort(node.config().port());
        ServerConfig.Connections limits = node.config().connections();
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        jetty.addConnector(connector);
        // beyond max-connections no more are accepted (they wait in the backlog until idle ones are
        // closed), so slow or stalled clients cannot take every file descriptor
        jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));

        ObjectMapper json = new ObjectMapper();
        NodeMetrics metrics = node.metrics();
        metrics.bindProcessMetrics(node.config().dataDir());
        Authenticator authenticator = new Authenticator(
                node.access(),
                node.config().https() ? node.config().tls().clientPrincipals() : ClientCertificatePrincipals.none(),
                new AuthFailureThrottle(
                        node.config().authFailureLimit(),
                        Duration.ofMinutes(15),
                        node.metadata().access(),
                        node.clock(),
                        new AuthFailureThrottle.Listener() {
                            @Override
                            public void failed() {
                                metrics.authFailure(false);
                            }

                            @Override
                            public void throttled() {
                                metrics.authFailure(true);
                            }
                        }));
        Logins logins = new Logins(node.access(), node.project().audit(), authenticator);
        Drain drain = new Drain();
        ApiHandler api = new ApiHandler(
                new ProjectApi(node.project(), node.state().states(), json),
                new StateApi(node.state(), json),
                new AccessApi(logins, node.access(), authenticator, json),
                new CredentialsApi(node.access(), json),
                new IdentityApi(node.access(), json),
                new LockPolicyApi(node.state(), json),
                new StorageApi(node.storage(), json),
                new EventApi(
                        node.events(),
                        node.eventSignal(),
                        drain::isDraining,
                        node.config().publicUrl(),
                        json),
                new FleetApi(node.fleet().view(), json),
                new SurgeryApi(node.state().surgery(), json),
                authenticator,
                json);
        UiView view = new UiView(new Templates());
        UiHistoryPages historyPages = new UiHistoryPages(node.state(), node.clock(), view, json);
        UiHandler ui = new UiHandler(
                authenticator,
                logins,
                new UiPages(node.state(), node.project(), node.clock(), view),
                new UiStatic(),
                view,
                historyPages,
                new UiCredentialPages(node.access(), node.project().projects(), node.clock(), view),
                new UiTrustPages(node.access(), node.clock(), view),
                new UiLockPolicyPages(node.state(), node.access(), node.clock(), view),
                new UiWebhookPages(node.events().webhooks(), node.clock(), view),
                new UiFleetPages(node.fleet().view(), node.clock(), view),
                new UiSurgeryPages(node.state(), view),
                new UiProjectAdminPages(
                        node.project(),
                        node.access().memberAdmin(),
                        node.storage().admin(),
                        node.clock(),
                        json,
                        view),
                new UiUploadPages(node.state().states(), historyPages, view));
        HealthChecks health = new HealthChecks(
                node.metadata(),
                node.storage(),
                drain,
                node.config().dataDir(),
                node.config().minFreeBytes());
        StatefortHandler handler = new StatefortHandler(
                List.of(
                        new TerraformBackendHandler(node.state(), authenticator, metrics),
                        new TfeHandler(node.state(), node.project(), authenticator, json, metrics),
                        api,
                        ui,
                        health,
                        MetricsEndpoint.forAdmins(metrics, authenticator)),
                node.config().publicUrl(),
                node.config().trustedProxies(),
                drain,
                node.state().states().maxStateBytes(),
                node.config().logging().accessLog(),
                metrics);
        ServerConnector managementConnector = null;
        org.eclipse.jetty.server.Handler routed = handler;
        ServerConfig.Management management = node.config().management();
        if (management.enabled()) {
            managementConnector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            managementConnector.setName("management");
            managementConnector.setHost(management.bind());
            managementConnector.setPort(management.port());
            jetty.addConnector(managementConnector);
            StatefortHandler managementHandler = new StatefortHandler(
                    List.of(health.withDetails(), MetricsEndpoint.open(metrics)),
                    node.config().publicUrl(),
                    node.config().trustedProxies(),
                    drain,
                    0,
                    false,
                    metrics);
            routed = new ListenerRouting(handler, managementConnector, managementHandler);
        }
        // stopping waits for the requests in flight (up to shutdown-timeout) instead of cutting them
        jetty.setHandler(new GracefulHandler(routed));
        jetty.setStopTimeout(node.config().shutdown().timeout().toMillis());
        jetty.setStopAtShutdown(false);
        jetty.start();
        node.serving(node.config().displayUrl(connector.getLocalPort()));
        return new StatefortServer(
                jetty,
                connector,
                managementConnector,
                handler,
                drain,
                node.config().shutdown(),
                metrics,
                BackgroundWork.start(node));
    }

    /** Every route the server answers ({@code METHOD /template}), in table order. */
    public List<String> routes() {
        return routeTable().stream().map(RouteTable.Route::name).toList();
    }

    /** Every route with its declared access, in table order. */
    public List<RouteTable.Route<?>> routeTable() {
        return handler.routes();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The management listener's bound port, or -1 when {@code management-port} is not set. */
    public int managementPort() {
        return managementConnector == null ? -1 : managementConnector.getLocalPort();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops gracefully: {@code /readyz} fails for {@code shutdown-drain} while requests are still
     * served, then the listener closes and the requests in flight get up to {@code shutdown-timeout}
     * to finish (a write is acknowledged only once it is durable, so one cut off after that was never
     * acknowledged).
     */
    @Override
    public void close() throws Exception {
        if (!jetty.isRunning()) {
            background.close();
            return;
        }
        drain.begin();
        Duration wait = shutdown.drain();
        if (!wait.isZero()) {
            LOG.info("shutting down: /readyz answers 503 for {} ms before the listener closes", wait.toMillis());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop at once, but stop: never leave Jetty serving
            }
        }
        try {
            jetty.stop();
        } catch (TimeoutException e) {
            LOG.warn(
                    "requests still running {} ms after the listener closed were cut off",
                    shutdown.timeout().toMillis());
        } finally {
            background.close(); // an undelivered event stays in the outbox for the next node to send
        }
    }
}
