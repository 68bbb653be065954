package dev.statefort.core.event;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Sends one delivery: a POST of {@code body} (JSON) with {@code headers}. Follows no redirect; checks
 * the address it connects to with {@link WebhookTargets} at that moment (no DNS rebinding between the
 * check and the connection); bounded by connect and read timeouts; reads at most 4 KiB of the answer.
 */
public interface WebhookTransport {
    /** The receiver's HTTP status; an IOException when there was none ({@link WebhookTargets.Refused}: not attempted). */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException;
}
