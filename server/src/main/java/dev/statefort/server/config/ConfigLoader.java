package dev.statefort.server.config;

import dev.statefort.core.state.ByteSizes;
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
            "quarantine-max-count",
            "quarantine-max-size",
            "read-cache-size",
            "database.write-wait");

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_MAX_STATE_SIZE = "100MiB";
    public static final String MASTER_KEY_ENV = "STATEFORT_MASTER_KEY";
    public static final int DEFAULT_AUTH_FAILURE_LIMIT = 10;
    public static final int DEFAULT_BOOTSTRAP_TOKEN_EXPIRY_DAYS = 30;
    public static final String DEFAULT_INSIGHT_MAX_STATE_SIZE = "32MiB";
    public static final int DEFAULT_QUARANTINE_MAX_COUNT = 20;
    public static final String DEFAULT_READ_CACHE_SIZE = "256MiB";
    public static final java.time.Duration DEFAULT_WRITE_WAIT = java.time.Duration.ofSeconds(10);
    public static final String DEFAULT_QUARANTINE_MAX_SIZE = "1GiB";

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
        ServerConfig.BlobStoreType blobType = s.blobStoreType();
        Path blobDir = s.path("blob-store.dir", dataDir == null ? null : dataDir.resolve("blobs"));
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
        int quarantineMaxCount = s.count("quarantine-max-count", DEFAULT_QUARANTINE_MAX_COUNT);
        long quarantineMaxBytes = s.size("quarantine-max-size", DEFAULT_QUARANTINE_MAX_SIZE);
        if (quarantineMaxCount < 1) {
            problems.add(
                    s.where("quarantine-max-count") + " must be at least 1 (the newest refused write is always kept)");
        }
        long readCacheBytes = s.sizeOrZero("read-cache-size", DEFAULT_READ_CACHE_SIZE);
        java.time.Duration writeWait = s.duration("database.write-wait", DEFAULT_WRITE_WAIT);
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
                blobType,
                blobDir,
                encryption,
                masterKeyFile,
                !values.containsKey("master-key-file"),
                masterKeyEnv,
                tls,
                authFailureLimit,
                publicUrl,
                bootstrapTokenExpiryDays,
                new ServerConfig.InsightLimits(insightMaxStateBytes, insightConcurrency),
                new ServerConfig.QuarantineLimits(quarantineMaxCount, quarantineMaxBytes),
                readCacheBytes,
                writeWait);
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
            if (!KEYS.contains(key)) {
                problems.add(
                        "unknown setting '" + key + "' in " + file + "; known settings: " + String.join(", ", KEYS));
                continue;
            }
            values.put(key, props.getProperty(key).trim());
            origin.put(key, "setting '" + key + "' in " + file);
        }
    }

    /** Typed access to the merged values, collecting problems. */
    private record Settings(Map<String, String> values, Map<String, String> origin, List<String> problems) {
        String where(String key) {
            return origin.getOrDefault(key, "setting '" + key + "'");
        }

        String text(String key, String fallback) {
            String v = values.get(key);
            return v == null || v.isEmpty() ? fallback : v;
        }

        Path path(String key, Path fallback) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            try {
                return Path.of(v).toAbsolutePath();
            } catch (RuntimeException e) {
                problems.add(where(key) + " is not a valid path: " + v);
                return fallback;
            }
        }

        int count(String key, int fallback) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where(key) + " must be a whole number >= 0, not '" + v + "'");
            return fallback;
        }

        int port() {
            String v = values.get("port");
            if (v == null) {
                return DEFAULT_PORT;
            }
            try {
                int port = Integer.parseInt(v);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where("port") + " must be a port number 0..65535 (0 = any free port), not '" + v + "'");
            return DEFAULT_PORT;
        }

        long size(String key, String fallback) {
            String v = text(key, fallback);
            try {
                long bytes = ByteSizes.parse(v);
                if (bytes < 1) {
                    problems.add(where(key) + " must be at least 1 byte");
                }
                return bytes;
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(where(key) + ": " + e.getMessage());
                return 0;
            }
        }

        /** A duration: {@code 10s}, {@code 500ms}, {@code 2m}, or a number of seconds; at least 1 ms. */
        java.time.Duration duration(String key, java.time.Duration fallback) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m)?").matcher(v.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                java.time.Duration d = m.group(2) == null || m.group(2).equals("s")
                        ? java.time.Duration.ofSeconds(n)
                        : m.group(2).equals("ms") ? java.time.Duration.ofMillis(n) : java.time.Duration.ofMinutes(n);
                if (!d.isZero()) {
                    return d;
                }
            }
            problems.add(where(key) + " must be a duration such as 10s, 500ms or 2m, not '" + v + "'");
            return fallback;
        }

        /** A size where 0 is allowed (it turns something off). */
        long sizeOrZero(String key, String fallback) {
            String v = text(key, fallback);
            if (v.equals("0")) {
                return 0;
            }
            return size(key, fallback);
        }

        void requireReadable(String key, Path file) {
            if (file != null && !Files.isReadable(file)) {
                problems.add(where(key) + ": " + file + " is not a readable file");
            }
        }

        /** The HTTPS settings, or null for plain HTTP. */
        TlsSettings tls() {
            Path cert = path("tls-cert", null);
            Path key = path("tls-key", null);
            Path clientCa = path("tls-client-ca", null);
            Path principalsFile = path("tls-client-principals", null);
            requireReadable("tls-cert", cert);
            requireReadable("tls-key", key);
            requireReadable("tls-client-ca", clientCa);
            requireReadable("tls-client-principals", principalsFile);
            if ((cert == null) != (key == null)) {
                problems.add("HTTPS needs both tls-cert and tls-key ("
                        + (cert == null ? where("tls-key") : where("tls-cert")) + " is set alone)");
            }
            if (cert == null && clientCa != null) {
                problems.add(where("tls-client-ca") + " needs HTTPS: set tls-cert and tls-key too");
            }
            if ((clientCa == null) != (principalsFile == null)) {
                problems.add("client certificates need both tls-client-ca (whose certificates to accept) and "
                        + "tls-client-principals (which subject acts as whom); "
                        + (clientCa == null ? where("tls-client-principals") : where("tls-client-ca"))
                        + " is set alone");
            }
            if (cert == null || key == null) {
                return null;
            }
            ClientCertificatePrincipals principals = principalsFile == null || !Files.isReadable(principalsFile)
                    ? ClientCertificatePrincipals.none()
                    : ClientCertificatePrincipals.read(principalsFile, where("tls-client-principals"), problems);
            return new TlsSettings(cert, key, principalsFile == null ? null : clientCa, principals);
        }

        boolean onOff(String key, boolean fallback) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            switch (v.toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes" -> {
                    return true;
                }
                case "off", "false", "no" -> {
                    return false;
                }
                default -> {
                    problems.add(where(key) + " must be 'on' or 'off', not '" + v + "'");
                    return fallback;
                }
            }
        }

        /**
         * {@code public-url}: the origin users and Terraform reach, e.g. {@code https://state.example.com},
         * normalized (lower case, no default port, no trailing slash); null when unset.
         */
        String publicUrl() {
            String v = text("public-url", null);
            if (v == null) {
                return null;
            }
            String fix = " (e.g. https://state.example.com: scheme, host and port only)";
            try {
                java.net.URI uri = new java.net.URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    problems.add(where("public-url") + " must start with http:// or https://, not '" + v + "'" + fix);
                    return null;
                }
                if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                    problems.add(where("public-url") + " must name a host and no user, not '" + v + "'" + fix);
                    return null;
                }
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                if (!(path.isEmpty() || path.equals("/"))
                        || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    problems.add(where("public-url") + " must not have a path, query or fragment"
                            + " (Statefort is served at the root of its address), not '" + v + "'" + fix);
                    return null;
                }
                return Origins.of(scheme, uri.getHost(), uri.getPort());
            } catch (java.net.URISyntaxException e) {
                problems.add(where("public-url") + " is not a URL: '" + v + "'" + fix);
                return null;
            }
        }

        /** A number of days ({@code 30} or {@code 30d}), or null for {@code never}. */
        Integer days(String key, int fallback) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            if (v.equalsIgnoreCase("never")) {
                return null;
            }
            String digits = v.endsWith("d") || v.endsWith("D") ? v.substring(0, v.length() - 1) : v;
            try {
                int n = Integer.parseInt(digits);
                if (n >= 1 && n <= 36_500) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where(key) + " must be a number of days (e.g. 30 or 30d) or 'never', not '" + v + "'");
            return fallback;
        }

        ServerConfig.BlobStoreType blobStoreType() {
            String v = text("blob-store.type", "filesystem");
            if (v.equalsIgnoreCase("filesystem")) {
                return ServerConfig.BlobStoreType.FILESYSTEM;
            }
            problems.add(where("blob-store.type") + " must be 'filesystem', not '" + v + "'");
            return ServerConfig.BlobStoreType.FILESYSTEM;
        }
    }
}
