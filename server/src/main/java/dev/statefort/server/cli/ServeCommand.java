package dev.statefort.server.cli;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.http.BackendBlock;
import dev.statefort.server.wiring.StatefortNode;
import dev.statefort.server.wiring.StatefortServer;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort serve}: runs the server until stopped. */
@Command(name = "serve", description = "Start the Statefort server.", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default 8080; 0 = any free port).")
    String port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) to serve HTTPS.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PEM) of --tls-cert.")
    String tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "PEM",
            description =
                    "CA certificates (PEM) whose client certificates are accepted (needs --tls-client-principals).")
    String tlsClientCa;

    @Option(
            names = "--tls-client-principals",
            paramLabel = "FILE",
            description =
                    "Which client-certificate subject acts as which principal: lines '<permission> <project|*> <DN>'.")
    String tlsClientPrincipals;

    @Option(
            names = "--max-state-size",
            paramLabel = "SIZE",
            description = "Largest accepted state, e.g. 100MiB (default) or a byte count.")
    String maxStateSize;

    @Option(
            names = "--public-url",
            paramLabel = "URL",
            description = "The address users and Terraform reach, e.g. https://state.example.com (behind a proxy);"
                    + " shown in the UI and banner, and the only origin browsers may send changes from.")
    String publicUrl;

    @Option(
            names = "--bootstrap-token-expiry",
            paramLabel = "DAYS|never",
            description = "The first start's admin token expires after this many days (default 30), or never.")
    String bootstrapTokenExpiry;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("port", port);
        flags.put("bind", bind);
        flags.put("max-state-size", maxStateSize);
        flags.put("tls-cert", tlsCert);
        flags.put("tls-key", tlsKey);
        flags.put("tls-client-ca", tlsClientCa);
        flags.put("tls-client-principals", tlsClientPrincipals);
        flags.put("public-url", publicUrl);
        flags.put("bootstrap-token-expiry", bootstrapTokenExpiry);
        ServerConfig config = options.load(flags);
        dev.statefort.server.wiring.LogFormat.apply(config.logging());
        ConfigLoader.warnings(config).forEach(w -> LOG.warn("{}", w));

        StatefortNode node = StatefortNode.open(config);
        StatefortServer server;
        StatefortNode.FirstStart firstStart;
        try {
            node.openStorage();
            firstStart = node.firstStart();
            server = StatefortServer.start(node);
        } catch (Exception e) {
            node.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, node), "statefort-shutdown"));
        printBanner(System.out, node, server.port(), server.managementPort(), firstStart);
        server.join();
        return 0;
    }

    private static void stop(StatefortServer server, StatefortNode node) {
        try {
            server.close();
        } catch (Exception e) {
            LOG.warn("error while stopping the server: {}", e.toString());
        } finally {
            node.close();
        }
    }

    private static String encryptionLine(StatefortNode node) {
        if (node.encryption().master() == null) {
            return "OFF (plaintext)";
        }
        String line =
                "on, master key from " + node.encryption().master().source().description();
        if (node.encryption().generatedKeyFile()) {
            line += "\n    (generated now: BACK IT UP apart from the data-dir; without it no state can be decrypted)";
        }
        return line;
    }

    private static void printBanner(
            PrintStream out, StatefortNode node, int port, int managementPort, StatefortNode.FirstStart firstStart) {
        Optional<IssuedToken> token = firstStart.adminToken();
        ServerConfig config = node.config();
        String url = config.displayUrl(port);
        out.println();
        out.println("Statefort is listening on " + url);
        if (config.publicUrl() != null) {
            out.println("  bound to: " + config.boundUrl(port) + " (public-url " + url + ")");
        }
        out.println("  data dir: " + config.dataDir());
        out.println("  database: " + config.databaseUrl());
        out.println("  blobs:    " + config.blobDir());
        out.println("  encryption: " + encryptionLine(node));
        if (managementPort > 0) {
            out.println("  management: http://" + config.management().bind() + ":" + managementPort
                    + " (/metrics, /healthz, /readyz without credentials)");
        }
        out.println();
        String tokenFile =
                config.dataDir().resolve(StatefortNode.INITIAL_TOKEN_FILE).toString();
        boolean ownTokenFile = java.nio.file.Files.exists(config.dataDir().resolve(StatefortNode.INITIAL_TOKEN_FILE));
        if (firstStart.doneElsewhere() || (token.isEmpty() && !ownTokenFile)) {
            out.println("The first start (the initial admin token and password) was done by another node on this"
                    + " database (or its files were removed from this data dir): read them from that node's data"
                    + " dir, or create what you need with: statefort token create / statefort user create");
        } else if (token.isPresent()) {
            out.println("Initial admin token (shown once; also saved to " + tokenFile + ", mode 0600):");
            out.println("  " + token.get().token());
            out.println(
                    token.get().record().expiresAt() == null
                            ? "  (it never expires: --bootstrap-token-expiry never)"
                            : "  (it expires at " + token.get().record().expiresAt()
                                    + "; create your own tokens before then, or set --bootstrap-token-expiry)");
        } else {
            out.println("Log in with an API token: the initial admin token is in " + tokenFile
                    + " (unless you removed it);");
            out.println("create more with: statefort token create --project <p> --permission write");
        }
        String passwordFile =
                config.dataDir().resolve(StatefortNode.INITIAL_PASSWORD_FILE).toString();
        if (firstStart.adminUser().isPresent()) {
            out.println("Web UI login: user 'admin', password (shown once; also saved to " + passwordFile
                    + ", mode 0600; change it after the first login):");
            out.println("  " + firstStart.adminUser().get().password());
        } else {
            out.println("Web UI login: your user name and password (the first admin's is in " + passwordFile
                    + " unless you removed it; reset one with: statefort user set-password <name>)");
        }
        out.println();
        out.println("Use it from Terraform (token as password: export TF_HTTP_PASSWORD=<token>):");
        BackendBlock.hcl(url + "/tf/default/<state>", "terraform").lines().forEach(line -> out.println("  " + line));
        out.println();
        out.flush();
    }
}
