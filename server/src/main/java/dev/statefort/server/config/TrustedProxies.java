package dev.statefort.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The proxies ({@code trusted-proxies}: addresses and CIDR ranges) whose {@code X-Forwarded-For} /
 * {@code X-Forwarded-Proto} (or, when a proxy sets only that, {@code Forwarded}) headers are
 * believed. A request from any other peer is taken as it arrived: its headers cannot make it look
 * like another address (the audit's source, the authentication throttle's key) or like HTTPS
 * (Secure cookies). {@code X-Forwarded-*} wins when present because that is what HAProxy, nginx,
 * cloud load balancers and ingress controllers append, while they pass a client's own {@code
 * Forwarded} header through untouched.
 */
public final class TrustedProxies {
    private final InetAddressSet ranges = new InetAddressSet();
    private final boolean none;

    /** @param patterns addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}); an invalid one is an IllegalArgumentException */
    public TrustedProxies(List<String> patterns) {
        for (String pattern : patterns) {
            if (!pattern.contains("/") && !isLiteralAddress(pattern)) {
                throw new IllegalArgumentException("'" + pattern + "' is not an IP address or CIDR range");
            }
            ranges.add(pattern);
        }
        this.none = patterns.isEmpty();
    }

    /** No proxy is trusted: every header is ignored. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** Whether {@code address} is a trusted proxy. */
    public boolean trusts(String address) {
        if (none || address == null) {
            return false;
        }
        return literal(strip(address)).map(ranges::test).orElse(false);
    }

    /**
     * The client's address: {@code peer} itself unless it is a trusted proxy; then, walking the
     * forwarded chain from the nearest hop back, the first address that is not a trusted proxy (or
     * the farthest one named, when all are).
     */
    public String clientAddress(String peer, HttpFields headers) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> chain = forwardedFor(headers);
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (!isLiteralAddress(hop)) {
                break; // an obfuscated or unknown hop: trust nothing beyond it
            }
            client = strip(hop);
            if (!trusts(client)) {
                break;
            }
        }
        return client;
    }

    /** Whether a trusted proxy says the client spoke HTTPS to it ({@code X-Forwarded-Proto}, else {@code Forwarded: proto=}). */
    public boolean forwardedHttps(String peer, HttpFields headers) {
        if (!trusts(peer)) {
            return false;
        }
        List<String> protos = forwarded(headers, "X-Forwarded-Proto", "proto");
        String proto = protos.isEmpty() ? null : protos.getLast();
        return proto != null && proto.toLowerCase(Locale.ROOT).equals("https");
    }

    /** The addresses the request passed, farthest first: {@code X-Forwarded-For} if present, else {@code Forwarded: for=}. */
    private static List<String> forwardedFor(HttpFields headers) {
        return forwarded(headers, "X-Forwarded-For", "for");
    }

    /**
     * The values the proxies recorded, farthest hop first: those of {@code xForwarded} when the
     * request has it (what proxies append), else the {@code parameter=} values of {@code Forwarded}.
     */
    private static List<String> forwarded(HttpFields headers, String xForwarded, String parameter) {
        List<String> appended = commaSeparated(headers.getValuesList(xForwarded));
        if (!appended.isEmpty()) {
            return appended;
        }
        List<String> values = new ArrayList<>();
        for (String element : commaSeparated(headers.getValuesList("Forwarded"))) {
            for (String pair : element.split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase(parameter)) {
                    values.add(unquote(kv[1].trim()));
                }
            }
        }
        return values;
    }

    private static List<String> commaSeparated(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** An address without the brackets and port a {@code Forwarded} header may add ({@code "[::1]:4711"}). */
    private static String strip(String address) {
        String a = address;
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a;
        }
        int colon = a.indexOf(':');
        return colon > 0 && a.indexOf(':', colon + 1) < 0 ? a.substring(0, colon) : a;
    }

    private static boolean isLiteralAddress(String value) {
        return literal(strip(value)).isPresent();
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Four decimal octets of at most 255: anything else would make {@link InetAddress#getByName} ask DNS. */
    private static boolean isIpv4(String value) {
        if (!IPV4.matcher(value).matches()) {
            return false;
        }
        for (String octet : value.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The address a literal names; never a name lookup (a header must not make the server ask DNS). */
    private static Optional<InetAddress> literal(String value) {
        boolean shaped = IPV4.matcher(value).matches()
                || (value.contains(":") && IPV6.matcher(value).matches());
        if (!shaped) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(value));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
