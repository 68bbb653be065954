package dev.statefort.server.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code X-Request-Id}: the one a trusted proxy (a load balancer) sent, when it is well formed
 * ({@code [A-Za-z0-9._:-]}, at most 128 characters: nothing that could forge a log line), else a
 * new random one. A client's own header is ignored unless it came through a trusted proxy. IDs
 * name requests, they guard nothing: a per-thread generator makes them without the shared lock a
 * {@code SecureRandom} takes on every request.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    static String of(String header, boolean fromTrustedProxy) {
        if (fromTrustedProxy && header != null && WELL_FORMED.matcher(header).matches()) {
            return header;
        }
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
