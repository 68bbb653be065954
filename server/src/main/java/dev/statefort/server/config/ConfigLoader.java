package dev.statefort.server.config;

import dev.statefort.core.insight.AnalysisLimits;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link ServerConfig} from, in rising precedence: defaults, a properties file ({@code
 * --config} or {@code STATEFORT_CONFIG}), {@code STATEFORT_*} environment variables and command-line
 * flags. Every problem is reported at once, naming the setting.
 */
public final class ConfigLoader {
    /** Every setting, with the key used in the file; the environment variable is derived from it. */
    public static final List<String> KEYS = List.of(
            "bind",
            "port",
            "data-dir",
            "max-state-size",
            "database.url",
            "database.user",
            "database.password",
            "blob-store.type",
            "blob-store.dir",
            "encryption",
            "master-key-file",
            "tls-cert",
            "tls-key",
            "tls-client-ca",
            "tls-client-principals",
            "auth-failure-limit",
            "public-url",
            "bootstrap-token-expiry",
            "insight-max-state-size",
            "insight-concurrency",
            "insight-max-nodes",
            "quarantine-max-count",
            "quarantine-max-size",
            "read-cache-size",
            "small-state-max-size",
            "database.write-wait",
            "shutdown-drain",
            "shutdown-timeout",
            "trusted-proxies",
            "log-format",
            "access-log",
            "management-port",
            "management-bind",
            "min-free-space",
            "http-idle-timeout",
            "max-connections",
            "jwt-lock-grace",
            "webhook-retry-initial",
            "webhook-allowed-hosts",
            "webhook-allow-http");

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_MAX_STATE_SIZE = "100MiB";
    public static final String MASTER_KEY_ENV = "STATEFORT_MASTER_KEY";
    public static final int DEFAULT_AUTH_FAILURE_LIMIT = 10;
    public static final int DEFAULT_BOOTSTRAP_TOKEN_EXPIRY_DAYS = 30;
    public static final String DEFAULT_INSIGHT_MAX_STATE_SIZE = "32MiB";
    public static final int DEFAULT_QUARANTINE_MAX_COUNT = 20;
    public static final String DEFAULT_READ_CACHE_SIZE = "256MiB";
    public static final String DEFAULT_SMALL_STATE_MAX_SIZE = "64KiB";
    static final long MAX_SMALL_STATE_MAX_BYTES = 1024 * 1024;
    public static final java.time.Duration DEFAULT_IDLE_TIMEOUT = java.time.Duration.ofSeconds(30);
    public static final java.time.Duration DEFAULT_WEBHOOK_RETRY_INITIAL = java.time.Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Below this much free space in the data directory, {@code /readyz} says so. */
    public static final String DEFAULT_MIN_FREE_SPACE = "256MiB";

    public static final java.time.Duration DEFAULT_WRITE_WAIT = java.time.Duration.ofSeconds(10);
    public static final String DEFAULT_QUARANTINE_MAX_SIZE = "1GiB";
    public static final java.time.Duration DEFAULT_SHUTDOWN_DRAIN = java.time.Duration.ofSeconds(2);
    public static final java.time.Duration DEFAULT_SHUTDOWN_TIMEOUT = java.time.Duration.ofSeconds(30);

    private ConfigLoader() {}

    /** {@code data-dir} becomes {@code STATEFORT_DATA_DIR}, {@code database.url} {@code STATEFORT_DATABASE_URL}. */
    public static String envName(String key) {
        return "STATEFORT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * @param flags settings given on the command line, by file key; null values are ignored
     * @param env the process environment
     * @param configFile the file named by {@code --config}, or null
     */
    public static ServerConfig load(Map<String, String> flags, Map<String, String> env, Path configFile) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();

        Path file = configFile != null
                ? configFile
                : env.containsKey("STATEFORT_CONFIG") ? Path.of(env.get("STATEFORT_CONFIG")) : null;
        if (file != null) {
            readFile(file, values, origin, problems);
        }
        for (String key : KEYS) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(key, fromEnv.trim());
                origin.put(key, "environment variable " + envName(key));
            }
        }
        StorageConfigReader.fromEnvironment(env, problems).forEach((key, variable) -> {
            values.put(key, env.get(variable).trim());
            origin.put(key, "environment variable " + variable);
        });
        OidcConfigReader.fromEnvironment(env, problems).forEach((key, variable) -> {
            values.put(key, env.get(variable).trim());
            origin.put(key, "environment variable " + variable);
        });
        flags.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value.trim());
                origin.put(key, "option --" + key.replace('.', '-'));
            }
        });

        Settings s = new Settings(values, origin, problems);
        String bind = s.text("bind", DEFAULT_BIND);
        int port = s.port();
        Path dataDir = s.path("data-dir", defaultDataDir(env));
        long maxState = s.size("max-state-size", DEFAULT_MAX_STATE_SIZE);
        String dbUrl =
                s.text("database.url", dataDir == null ? null : "jdbc:sqlite:" + dataDir.resolve("statefort.db"));
        if (dbUrl != null && !dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            problems.add(s.where("database.url")
                    + " must be a jdbc:sqlite:<file> or jdbc:postgresql://<host>/<db> URL, not '" + dbUrl + "'");
        }
        String dbUser = s.text("database.user", null);
        String dbPassword = s.text("database.password", null);
        StorageConfig storage = StorageConfigReader.read(s, dataDir);
        boolean encryption = s.onOff("encryption", true);
        Path defaultKeyFile = dataDir == null ? null : defaultMasterKeyFile(dataDir);
        Path masterKeyFile = s.path("master-key-file", defaultKeyFile);
        String masterKeyEnv = env.get(MASTER_KEY_ENV);
        if (masterKeyEnv != null && masterKeyEnv.isBlank()) {
            masterKeyEnv = null;
        }
        if (masterKeyEnv != null && values.containsKey("master-key-file")) {
            problems.add("both " + MASTER_KEY_ENV + " and " + s.where("master-key-file")
                    + " name a master key; set only one");
        }
        if (masterKeyFile != null
                && dataDir != null
                && masterKeyFile.toAbsolutePath().startsWith(dataDir.toAbsolutePath())) {
            problems.add(s.where("master-key-file") + " is inside the data-dir " + dataDir
                    + "; keep the master key apart from the data it protects");
        }
        TlsSettings tls = s.tls();
        int authFailureLimit = s.count("auth-failure-limit", DEFAULT_AUTH_FAILURE_LIMIT);
        String publicUrl = s.publicUrl();
        Integer bootstrapTokenExpiryDays = s.days("bootstrap-token-expiry", DEFAULT_BOOTSTRAP_TOKEN_EXPIRY_DAYS);
        long insightMaxStateBytes = s.size("insight-max-state-size", DEFAULT_INSIGHT_MAX_STATE_SIZE);
        int insightConcurrency =
                s.count("insight-concurrency", Runtime.getRuntime().availableProcessors());
        if (insightConcurrency < 1) {
            problems.add(s.where("insight-concurrency") + " must be at least 1");
        }
        int insightMaxNodes =
                s.count("insight-max-nodes", (int) AnalysisLimits.defaultMaxNodes(Math.max(1, insightConcurrency)));
        if (insightMaxNodes < 1000) {
            problems.add(s.where("insight-max-nodes") + " must be at least 1000 (JSON values an analysis reads)");
        }
        int quarantineMaxCount = s.count("quarantine-max-count", DEFAULT_QUARANTINE_MAX_COUNT);
        long quarantineMaxBytes = s.size("quarantine-max-size", DEFAULT_QUARANTINE_MAX_SIZE);
        if (quarantineMaxCount < 1) {
            problems.add(
                    s.where("quarantine-max-count") + " must be at least 1 (the newest refused write is always kept)");
        }
        long readCacheBytes = s.sizeOrZero("read-cache-size", DEFAULT_READ_CACHE_SIZE);
        long smallStateMaxBytes = s.sizeOrZero("small-state-max-size", DEFAULT_SMALL_STATE_MAX_SIZE);
        if (smallStateMaxBytes > MAX_SMALL_STATE_MAX_BYTES) {
            problems.add(s.where("small-state-max-size") + " must be at most 1MiB (a row of the database)");
        }
        java.time.Duration writeWait = s.duration("database.write-wait", DEFAULT_WRITE_WAIT);
        TrustedProxies trustedProxies = s.trustedProxies();
        String logFormat = s.text("log-format", "text");
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            problems.add(s.where("log-format") + " must be text or json, not '" + logFormat + "'");
        }
        ServerConfig.Logging logging = new ServerConfig.Logging(logFormat.equals("json"), s.onOff("access-log", false));
        ServerConfig.Connections connections = new ServerConfig.Connections(
                s.duration("http-idle-timeout", DEFAULT_IDLE_TIMEOUT),
                s.count("max-connections", DEFAULT_MAX_CONNECTIONS));
        if (connections.maxConnections() < 1) {
            problems.add(s.where("max-connections") + " must be at least 1");
        }
        Integer managementPort = s.port("management-port", null);
        if (managementPort != null && managementPort != 0 && managementPort == port) {
            problems.add(s.where("management-port") + " is the same as the port (" + port
                    + "); the management listener needs a port of its own");
        }
        ServerConfig.Management management = managementPort == null
                ? ServerConfig.Management.NONE
                : new ServerConfig.Management(managementPort, s.text("management-bind", DEFAULT_BIND));
        if (management.enabled() && !management.bind().matches("[A-Za-z0-9.:%\\-]+")) {
            problems.add(s.where("management-bind") + " must be an IP address or host name, not '" + management.bind()
                    + "'");
        }
        if (managementPort == null && values.containsKey("management-bind")) {
            problems.add(s.where("management-bind") + " is set but management-port is not");
        }
        ServerConfig.Shutdown shutdown = new ServerConfig.Shutdown(
                s.durationOrZero("shutdown-drain", DEFAULT_SHUTDOWN_DRAIN),
                s.duration("shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT));
        OidcSettings oidc = OidcConfigReader.read(s);
        ServerConfig.Webhooks webhooks = webhooks(s);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(
                bind,
                port,
                dataDir,
                maxState,
                dbUrl,
                dbUser,
                dbPassword,
                storage,
                encryption,
                masterKeyFile,
                !values.containsKey("master-key-file"),
                masterKeyEnv,
                tls,
                authFailureLimit,
                publicUrl,
                bootstrapTokenExpiryDays,
                new ServerConfig.InsightLimits(insightMaxStateBytes, insightMaxNodes, insightConcurrency),
                new ServerConfig.QuarantineLimits(quarantineMaxCount, quarantineMaxBytes),
                readCacheBytes,
                smallStateMaxBytes,
                writeWait,
                shutdown,
                trustedProxies,
                logging,
                management,
                s.sizeOrZero("min-free-space", DEFAULT_MIN_FREE_SPACE),
                connections,
                oidc,
                webhooks);
    }

    /** {@code webhook-retry-initial} (the first wait after a failed delivery), {@code webhook-allowed-hosts}, {@code webhook-allow-http}. */
    private static ServerConfig.Webhooks webhooks(Settings s) {
        java.time.Duration retry = s.duration("webhook-retry-initial", DEFAULT_WEBHOOK_RETRY_INITIAL);
        String hosts = s.text("webhook-allowed-hosts", "");
        List<String> allowed = java.util.Arrays.stream(hosts.split(","))
                .map(String::strip)
                .filter(h -> !h.isEmpty())
                .toList();
        for (String host : allowed) {
            if (!host.matches("[A-Za-z0-9.:_-]+")) {
                s.problem(s.where("webhook-allowed-hosts") + " lists '" + host
                        + "', which is not a host name or IP address (comma-separated, no ports or ranges)");
            }
        }
        return new ServerConfig.Webhooks(retry, allowed, s.onOff("webhook-allow-http", false));
    }

    /** {@code $XDG_DATA_HOME/statefort}, else {@code ~/.local/share/statefort}: never a temp directory. */
    public static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "statefort");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "statefort");
    }

    /**
     * Next to the data directory, never inside it: {@code ~/.local/share/statefort} gets {@code
     * ~/.local/share/statefort.master.key}, so a copy of the data directory holds no key.
     */
    public static Path defaultMasterKeyFile(Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        Path parent = abs.getParent() == null ? abs : abs.getParent();
        return parent.resolve(abs.getFileName() + ".master.key");
    }

    /** Start-up warnings for choices that work but are unsafe. */
    public static List<String> warnings(ServerConfig config) {
        List<String> warnings = new ArrayList<>();
        Path tmp =
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path data = config.dataDir().toAbsolutePath().normalize();
        if (data.startsWith(tmp) || data.startsWith("/tmp") || data.startsWith("/var/tmp")) {
            warnings.add("data-dir " + data + " is in a temporary directory; states may be lost on reboot. "
                    + "Set --data-dir to durable storage.");
        }
        if (!config.encryption()) {
            warnings.add("encryption is OFF (setting 'encryption=off'): states are stored in plaintext. "
                    + "Anyone who can read the data-dir, the database or the bucket can read every secret in them.");
        } else if (config.masterKeyFromEnvironment() == null && config.masterKeyFileIsDefault()) {
            warnings.add("the master key is " + config.masterKeyFile() + " (the default place, next to the data-dir). "
                    + "Store and back it up APART from the data (e.g. a secrets manager) and point --master-key-file or "
                    + MASTER_KEY_ENV
                    + " at it: without it no state can be decrypted, and with the data it decrypts everything.");
        }
        return warnings;
    }

    private static void readFile(
            Path file, Map<String, String> values, Map<String, String> origin, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("config file " + file + " does not exist or is not a file (--config / STATEFORT_CONFIG)");
            return;
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("config file " + file + " cannot be read: " + e.getMessage());
            return;
        }
        for (String key : props.stringPropertyNames()) {
            if (!KEYS.contains(key) && !StorageConfigReader.isStorageKey(key) && !OidcConfigReader.isOidcKey(key)) {
                problems.add("unknown setting '" + key + "' in " + file + "; known settings: " + String.join(", ", KEYS)
                        + ", storage.default, storage.<profile>.<key> and oidc.<issuer>.<key>");
                continue;
            }
            values.put(key, props.getProperty(key).trim());
            origin.put(key, "setting '" + key + "' in " + file);
        }
    }
}
