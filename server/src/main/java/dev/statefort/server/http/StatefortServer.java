package dev.statefort.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.config.ClientCertificatePrincipals;
import dev.statefort.server.ui.Templates;
import dev.statefort.server.wiring.StatefortNode;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The Jetty server of one node: handlers on virtual threads, bound to the configured address. */
public final class StatefortServer implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;

    private StatefortServer(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
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
        jetty.addConnector(connector);

        ObjectMapper json = new ObjectMapper();
        Authenticator authenticator = new Authenticator(
                node.tokens(),
                node.users(),
                node.sessions(),
                node.aliases(),
                node.config().https() ? node.config().tls().clientPrincipals() : ClientCertificatePrincipals.none(),
                new AuthFailureThrottle(node.config().authFailureLimit(), Duration.ofMinutes(15)));
        AccessApi access = new AccessApi(node.users(), node.sessions(), node.audit(), authenticator, json);
        CredentialsApi credentials =
                new CredentialsApi(node.tokens(), node.aliases(), node.projects(), node.audit(), node.clock(), json);
        ApiHandler api = new ApiHandler(
                node.states(),
                node.projects(),
                node.settings(),
                node.audit(),
                new StateApi(node.states(), node.history(), json),
                access,
                credentials,
                authenticator,
                json);
        UiView view = new UiView(new Templates());
        UiHandler ui = new UiHandler(
                authenticator,
                access,
                new UiPages(node.states(), node.history(), node.projects(), node.settings(), node.clock(), view),
                new UiStatic(),
                view,
                new UiHistoryPages(node.states(), node.history(), node.clock(), view, json),
                new UiAccessRoutes(
                        new UiCredentialPages(credentials, node.projects(), node.clock(), view),
                        new UiProjectAdminPages(access, api, node.clock(), json, view)));
        jetty.setHandler(new StatefortHandler(
                new TerraformBackendHandler(node.states(), node.history(), authenticator),
                api,
                ui,
                node.metadata(),
                node.blobs(),
                json,
                node.config().publicUrl()));
        jetty.setStopAtShutdown(false);
        jetty.start();
        return new StatefortServer(jetty, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
