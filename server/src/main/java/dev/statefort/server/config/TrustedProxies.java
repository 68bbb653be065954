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
 * {@code X-Forwarded-Proto} and {@code Forwarded} headers are believed. A request from any other
 * peer is taken as it arrived: its headers cannot make it look like another address (the audit's
 * source, the authentication throttle's key) or like HTTPS (Secure cookies).
 *
 * <p>A proxy appends to one of the two headers (HAProxy, nginx and most load balancers to {@code
 * X-Forwarded-For}, others to {@code Forwarded}) and passes the other through as the client sent it,
 * and nothing in the request says which one it wrote. So each chain is walked from the nearest hop
 * back, past trusted proxies, to the first address that is not one; when the request has both
 * headers, that address is believed only if both chains name it: when they differ, one of them was
 * written by the client, and the source is the trusted peer itself. A client can thus make its
 * request count as the proxy's, never as another client's.
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
     * the farthest one named, when all are). With both {@code X-Forwarded-For} and {@code
     * Forwarded}, the two chains must name the same client, else it is {@code peer}.
     */
    public String clientAddress(String peer, HttpFields headers) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> appended = commaSeparated(headers.getValuesList("X-Forwarded-For"));
        List<String> standard = forwardedParameters(headers, "for");
        if (standard.isEmpty()) {
            return nearestUntrusted(peer, appended);
        }
        if (appended.isEmpty()) {
            return nearestUntrusted(peer, standard);
        }
        String fromAppended = nearestUntrusted(peer, appended);
        String fromStandard = nearestUntrusted(peer, standard);
        return sameAddress(fromAppended, fromStandard) ? fromAppended : peer;
    }

    /**
     * Walking {@code chain} from the nearest hop back: the first address that is not a trusted proxy
     * (or the farthest one named, when all are); {@code peer} when the chain is empty.
     */
    private String nearestUntrusted(String peer, List<String> chain) {
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

    /**
     * Whether a trusted proxy says the client spoke HTTPS to it: the nearest {@code X-Forwarded-Proto}
     * or {@code Forwarded: proto=}; when the request has both, only if both say https.
     */
    public boolean forwardedHttps(String peer, HttpFields headers) {
        if (!trusts(peer)) {
            return false;
        }
        List<String> appended = commaSeparated(headers.getValuesList("X-Forwarded-Proto"));
        List<String> standard = forwardedParameters(headers, "proto");
        if (appended.isEmpty() && standard.isEmpty()) {
            return false;
        }
        return (appended.isEmpty() || isHttps(appended.getLast()))
                && (standard.isEmpty() || isHttps(standard.getLast()));
    }

    private static boolean isHttps(String proto) {
        return proto.toLowerCase(Locale.ROOT).equals("https");
    }

    /** Whether two hops name one address ({@code 2001:db8::1} and {@code [2001:DB8:0::1]:443} do). */
    private static boolean sameAddress(String a, String b) {
        Optional<InetAddress> left = literal(strip(a));
        return left.isPresent() ? left.equals(literal(strip(b))) : a.equals(b);
    }

    /** The {@code parameter=} values of the {@code Forwarded} headers, farthest hop first. */
    private static List<String> forwardedParameters(HttpFields headers, String parameter) {
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
