package dev.statefort.core.event;

import dev.statefort.core.InvalidInputException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where webhooks may send (server-side request forgery: a project admin chooses the URL): https only
 * unless the operator allows http ({@code webhook-allow-http}); never to a loopback, link-local
 * (cloud metadata), private, shared (CGNAT), unique-local, multicast or unspecified address unless
 * the URL's host, as written in it (a name or an IP address), is listed in the operator's {@code
 * webhook-allowed-hosts}. A URL is checked when it is saved, and each resolved address again when a
 * delivery connects.
 */
public final class WebhookTargets {
    /** A delivery not attempted: the address is refused (it is not retried). */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private final boolean allowHttp;
    private final Set<String> allowedHosts;

    public WebhookTargets(boolean allowHttp, Set<String> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    /** Checks a URL a project admin gives (400 with the reason); the address is checked again at delivery. */
    public URI checkUrl(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            throw new InvalidInputException("url must be an https:// URL of at most 2000 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw new InvalidInputException(
                    allowHttp
                            ? "url must be an http:// or https:// URL"
                            : "url must be an https:// URL (the operator has not allowed http: webhook-allow-http)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new InvalidInputException("url must name a host, without user info or fragment");
        }
        if (uri.getPort() > 65535) {
            throw new InvalidInputException("url has no valid port: " + uri.getPort());
        }
        String host = host(uri);
        if (isLiteral(host) && !isValidLiteral(host)) {
            throw new InvalidInputException("url has an invalid address: " + host);
        }
        if (isLiteral(host) && !allowedHosts.contains(host)) {
            try {
                String why = refusal(InetAddress.getByName(host));
                if (why != null) {
                    throw new InvalidInputException("url points at " + why + " address " + host
                            + ", which webhooks may not reach unless the operator lists it in webhook-allowed-hosts");
                }
            } catch (java.net.UnknownHostException e) {
                throw new InvalidInputException("url has an invalid address: " + host);
            }
        }
        return uri;
    }

    /**
     * The addresses of {@code host} a delivery may connect to: all of them, when the host is listed
     * in the allow-list; otherwise those that are public. {@link Refused} when none is left.
     */
    public InetAddress[] vet(String host, InetAddress[] resolved) throws Refused {
        String name = host.toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(name)) {
            return resolved;
        }
        List<InetAddress> usable = new ArrayList<>();
        String firstRefusal = null;
        for (InetAddress a : resolved) {
            String why = refusal(a);
            if (why == null) {
                usable.add(a);
            } else if (firstRefusal == null) {
                firstRefusal = why + " address " + a.getHostAddress();
            }
        }
        if (usable.isEmpty() || firstRefusal != null) {
            // one refused address refuses the host: a name that resolves to both is a rebinding attempt
            throw new Refused("refused: " + host + " resolves to the " + firstRefusal
                    + " (list the host in webhook-allowed-hosts to allow it)");
        }
        return usable.toArray(InetAddress[]::new);
    }

    /**
     * A URL as audit events and logs may show it: scheme, host and port, the rest elided. A Slack or
     * Teams webhook URL's path is its credential; it never reaches the audit log or a log line.
     */
    public static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority()
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : "/…");
    }

    /** The URL's host, lower case, IPv6 literals without brackets. */
    public static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /** An IPv4 literal must be four numbers of 0 to 255 (anything else would be looked up as a name). */
    private static boolean isValidLiteral(String host) {
        if (host.contains(":")) {
            return true; // the URI parser accepted the brackets: an IPv6 literal
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Why an address is refused (e.g. "loopback"), or null when it is public. */
    static String refusal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first >= 240) {
                return "reserved";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "shared (carrier-grade NAT)";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "reserved";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "reserved";
            }
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local (private)";
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4 carries an IPv4 address
                try {
                    return refusal(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
                } catch (java.net.UnknownHostException e) {
                    return "reserved";
                }
            }
            if ((b[0] & 0xff) == 0x00
                    && (b[1] & 0xff) == 0x64
                    && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b
                    && (b[4] & 0xff) == 0x00
                    && (b[5] & 0xff) == 0x01) {
                return "local-use NAT64";
            }
            if (isMappedOrCompatible(b)) {
                try {
                    byte[] v4 = {b[12], b[13], b[14], b[15]};
                    return refusal(InetAddress.getByAddress(v4));
                } catch (java.net.UnknownHostException e) {
                    return "reserved";
                }
            }
        }
        return null;
    }

    /** ::ffff:a.b.c.d and ::a.b.c.d (and NAT64 64:ff9b::/96) carry an IPv4 address. */
    private static boolean isMappedOrCompatible(byte[] b) {
        boolean nat64 =
                (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = nat64 ? 4 : 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return nat64 || (b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff);
    }
}
