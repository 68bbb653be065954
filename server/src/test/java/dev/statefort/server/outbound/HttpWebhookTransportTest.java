package dev.statefort.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.event.WebhookTargets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A receiver chosen by a project admin cannot hold the sender: an answer is read to 4 KiB at most and
 * the rest is not drained (the connection is dropped), and the whole exchange ends by its deadline
 * however slowly the answer drips. The receivers are raw sockets on 127.0.0.1 (allowed by name).
 */
class HttpWebhookTransportTest {
    private static final WebhookTargets LOOPBACK = new WebhookTargets(true, Set.of("127.0.0.1"));

    /** Answers every connection with a 200 whose declared body is 100 MB: fast, or a byte every {@code pauseMillis}. */
    private static ServerSocket receiver(AtomicLong bytesSent, long pauseMillis) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] head = new byte[8192];
                    in.read(head); // the request (small)
                    OutputStream out = s.getOutputStream();
                    out.write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[pauseMillis > 0 ? 1 : 64 * 1024];
                    for (long sent = 0; sent < 100_000_000L; sent += chunk.length) {
                        out.write(chunk);
                        out.flush();
                        bytesSent.addAndGet(chunk.length);
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                } catch (IOException | InterruptedException closed) {
                    // the client dropped the connection: what the test wants
                }
            }
        });
        return server;
    }

    @Test
    void aHugeAnswerIsNotReadBeyondFourKibibytes() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (ServerSocket server = receiver(sent, 0);
                HttpWebhookTransport transport = new HttpWebhookTransport(LOOPBACK, Duration.ofSeconds(20))) {
            long started = System.nanoTime();
            int status = transport.post(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/big"),
                    Map.of("webhook-id", "x"),
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(status).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            Thread.sleep(300);
            assertThat(sent.get())
                    .as("the 100 MB answer was cut off, not drained")
                    .isLessThan(50_000_000L);
        }
    }

    @Test
    void aDrippingAnswerEndsAtTheDeadline() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (ServerSocket server = receiver(sent, 200);
                HttpWebhookTransport transport = new HttpWebhookTransport(LOOPBACK, Duration.ofSeconds(1))) {
            // a byte every 200 ms: never a 10 s pause, so only the deadline ends it; the status line
            // came first, so the first 4 KiB take 800 s unless the deadline cuts in
            long started = System.nanoTime();
            assertThatThrownBy(() -> transport.post(
                            URI.create("http://127.0.0.1:" + server.getLocalPort() + "/drip"),
                            Map.of("webhook-id", "x"),
                            "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
