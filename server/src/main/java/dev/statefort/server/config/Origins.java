package dev.statefort.server.config;

import java.util.Locale;

/** Web origins ({@code scheme://host[:port]}) in the one form browsers send in {@code Origin}. */
public final class Origins {
    private Origins() {}

    /** Lower case, IPv6 hosts in brackets, the scheme's default port (80, 443) left out; port -1 = none. */
    public static String of(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        boolean defaultPort = port < 0 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
        return s + "://" + h + (defaultPort ? "" : ":" + port);
    }

    /** {@code value} parsed as an origin and normalized, or null when it is not one (e.g. {@code null}). */
    public static String normalize(String value) {
        try {
            java.net.URI uri = new java.net.URI(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return of(uri.getScheme(), uri.getHost(), uri.getPort());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
