package dev.statefort.server.config;

import dev.statefort.core.state.ByteSizes;
import dev.statefort.core.storagetype.SettingValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The merged setting values ({@link ConfigLoader}'s file, environment and flags) read as types: each
 * reader returns the value or the fallback and adds a problem naming where a bad value came from,
 * so that every problem is reported at once.
 */
record Settings(Map<String, String> values, Map<String, String> origin, List<String> problems)
        implements SettingValues {

    @Override
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }

    @Override
    public String where(String key) {
        return origin.getOrDefault(key, "setting '" + key + "'");
    }

    @Override
    public String text(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    @Override
    public Path path(String key, Path fallback) {
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
        return port("port", ConfigLoader.DEFAULT_PORT);
    }

    /** The port setting {@code key}, or {@code fallback} when it is not set. */
    Integer port(String key, Integer fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(where(key) + " must be a port number 0..65535 (0 = any free port), not '" + v + "'");
        return fallback;
    }

    @Override
    public long size(String key, String fallback) {
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
        return duration(key, fallback, false);
    }

    /** A duration where 0 is allowed (it turns something off). */
    java.time.Duration durationOrZero(String key, java.time.Duration fallback) {
        return duration(key, fallback, true);
    }

    private java.time.Duration duration(String key, java.time.Duration fallback, boolean zeroAllowed) {
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
            if (zeroAllowed || !d.isZero()) {
                return d;
            }
        }
        problems.add(where(key) + " must be a duration such as 10s, 500ms or 2m, not '" + v + "'");
        return fallback;
    }

    /** {@code trusted-proxies}: addresses and CIDR ranges, separated by commas or spaces; none by default. */
    TrustedProxies trustedProxies() {
        String v = values.get("trusted-proxies");
        if (v == null || v.isBlank()) {
            return TrustedProxies.none();
        }
        try {
            return new TrustedProxies(
                    java.util.Arrays.stream(v.trim().split("[,\\s]+")).toList());
        } catch (IllegalArgumentException e) {
            problems.add(where("trusted-proxies") + " must list IP addresses or CIDR ranges (10.0.0.0/8, ::1): "
                    + e.getMessage());
            return TrustedProxies.none();
        }
    }

    /** A size where 0 is allowed (it turns something off). */
    long sizeOrZero(String key, String fallback) {
        String v = text(key, fallback);
        if (v.equals("0")) {
            return 0;
        }
        return size(key, fallback);
    }

    @Override
    public void requireReadable(String key, Path file) {
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

    @Override
    public boolean onOff(String key, boolean fallback) {
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
            if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
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
}
