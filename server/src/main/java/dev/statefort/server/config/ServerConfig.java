package dev.statefort.server.config;

import java.nio.file.Path;

/**
 * The validated configuration of one Statefort node. Built by {@link ConfigLoader}; immutable.
 *
 * @param databaseUrl JDBC URL; {@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}
 * @param databasePassword never printed (see {@link #toString()})
 * @param encryption whether blobs are encrypted (on unless explicitly turned off)
 * @param masterKeyFile the master key file (generated on first start when missing)
 * @param masterKeyFileIsDefault true when nobody chose the key file's place (start-up warns)
 * @param masterKeyFromEnvironment the {@code STATEFORT_MASTER_KEY} value, or null; never printed
 * @param tls the HTTPS settings, or null for plain HTTP
 * @param authFailureLimit failed authentications from one address before it gets 429 (0 = no throttle)
 * @param publicUrl the origin users and Terraform reach ({@code https://state.example.com}), or null:
 *     then the request's own scheme and Host are the server's origin
 * @param bootstrapTokenExpiryDays the first start's admin token expires after this many days; null = never
 * @param insight how much state analysis (resources, outputs, diffs) a request may cause
 * @param quarantine how many refused bodies, and how many bytes of them, one state keeps
 * @param readCacheBytes decoded versions kept in memory for reads (0 = off)
 * @param smallStateMaxBytes a state stored in at most this many bytes is kept in the database with its
 *     version (0 = every state in the blob store)
 * @param databaseWriteWait SQLite: how long a write may wait for the one writer before 503
 * @param oidc the issuers whose ID tokens authenticate CI jobs, and the lock grace of an expired one
 * @param webhooks how webhook deliveries retry and where they may go
 */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        long maxStateBytes,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        StorageConfig storage,
        boolean encryption,
        Path masterKeyFile,
        boolean masterKeyFileIsDefault,
        String masterKeyFromEnvironment,
        TlsSettings tls,
        int authFailureLimit,
        String publicUrl,
        Integer bootstrapTokenExpiryDays,
        InsightLimits insight,
        QuarantineLimits quarantine,
        long readCacheBytes,
        long smallStateMaxBytes,
        java.time.Duration databaseWriteWait,
        Shutdown shutdown,
        TrustedProxies trustedProxies,
        Logging logging,
        Management management,
        long minFreeBytes,
        Connections connections,
        OidcSettings oidc,
        Webhooks webhooks) {

    /**
     * Webhook deliveries: the first wait after a failed attempt ({@code webhook-retry-initial}, then
     * doubled), the hosts or addresses they may reach although private or loopback ({@code
     * webhook-allowed-hosts}), and whether plain http URLs are allowed ({@code webhook-allow-http}).
     */
    public record Webhooks(java.time.Duration retryInitial, java.util.List<String> allowedHosts, boolean allowHttp) {
        public Webhooks {
            allowedHosts = java.util.List.copyOf(allowedHosts);
        }
    }

    /**
     * How the node logs: {@code json} one JSON object per line ({@code log-format = json}) instead of
     * text, and an access log line per request ({@code access-log = on}).
     */
    public record Logging(boolean json, boolean accessLog) {}

    /**
     * What a client's connection may take: {@code idleTimeout} without a byte either way before it is
     * closed ({@code http-idle-timeout}); at most {@code maxConnections} open at once ({@code
     * max-connections}: beyond it new ones wait to be accepted until idle ones are closed).
     */
    public record Connections(java.time.Duration idleTimeout, int maxConnections) {}

    /**
     * A second listener for monitoring ({@code management-port}, {@code management-bind}): {@code
     * /metrics}, {@code /healthz} and {@code /readyz} without credentials, and nothing else. {@code
     * port} null: none.
     */
    public record Management(Integer port, String bind) {
        public static final Management NONE = new Management(null, null);

        public boolean enabled() {
            return port != null;
        }
    }

    /**
     * What SIGTERM does: {@code drain} is how long {@code /readyz} answers 503 (and responses close
     * their connections) while requests are still served, so a load balancer moves away first;
     * then the listener closes and in-flight requests get up to {@code timeout} to finish.
     */
    public record Shutdown(java.time.Duration drain, java.time.Duration timeout) {}

    /**
     * @param maxStateBytes states larger than this are not parsed for resources, outputs or diffs
     * @param concurrency at most this many analyses run at once; more wait briefly, then get 503
     */
    /**
     * @param maxNodes JSON values (tokens) a version may have to be analysed
     * @param concurrency threads of the analysis pool
     */
    public record InsightLimits(long maxStateBytes, long maxNodes, int concurrency) {}

    /** @param maxCount, maxBytes per state; the oldest quarantined body is dropped first */
    public record QuarantineLimits(int maxCount, long maxBytes) {}

    /** Whether the server speaks HTTPS (both {@code tls-cert} and {@code tls-key} set). */
    public boolean https() {
        return tls != null;
    }

    /** Where state bytes live. */
    /** The directory of the data directory's blob store (profile {@value StorageConfig#LOCAL}). */
    public Path blobDir() {
        return storage.localDir();
    }

    /** Which database {@link #databaseUrl()} names. */
    public enum DatabaseKind {
        SQLITE,
        POSTGRESQL
    }

    public DatabaseKind databaseKind() {
        return databaseUrl.startsWith("jdbc:postgresql:") ? DatabaseKind.POSTGRESQL : DatabaseKind.SQLITE;
    }

    /** The SQLite database file, for {@link DatabaseKind#SQLITE}. */
    public Path sqliteFile() {
        return Path.of(databaseUrl.substring("jdbc:sqlite:".length()));
    }

    /** The base URL to print: {@code public-url}, else {@link #boundUrl}. */
    public String displayUrl(int actualPort) {
        return publicUrl != null ? publicUrl : boundUrl(actualPort);
    }

    /** Where the socket listens, e.g. {@code http://127.0.0.1:8080} (a wildcard bind as 127.0.0.1). */
    public String boundUrl(int actualPort) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (https() ? "https://" : "http://") + host + ":" + actualPort;
    }

    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", maxStateBytes="
                + maxStateBytes + ", databaseUrl=" + databaseUrl + ", databaseUser=" + databaseUser
                + ", databasePassword=" + (databasePassword == null ? "none" : "***") + ", storage="
                + storage + ", publicUrl=" + publicUrl + ", encryption=" + encryption
                + ", masterKeyFile="
                + masterKeyFile + ", masterKeyFromEnvironment=" + (masterKeyFromEnvironment == null ? "no" : "***")
                + "]";
    }
}
