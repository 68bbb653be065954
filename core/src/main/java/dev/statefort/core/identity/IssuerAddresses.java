package dev.statefort.core.identity;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Where an issuer's documents may be fetched from: https anywhere, plain http only on a loopback host (a test issuer). */
public final class IssuerAddresses {
    private IssuerAddresses() {}

    public static boolean isAllowed(URI uri) {
        if (uri.getHost() == null) {
            return false;
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return true;
        }
        return "http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost());
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost is never resolved to decide this
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
