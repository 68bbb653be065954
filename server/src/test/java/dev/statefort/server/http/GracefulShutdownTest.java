package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.TestClock;
import dev.statefort.core.testing.TestPrincipals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 5: stopping lets a load balancer move away first ({@code /readyz} 503 while
 * requests are still served, each response closing its connection), then closes the listener and
 * lets a write in flight finish: it is acknowledged and durable.
 */
class GracefulShutdownTest {
    /** A state with room to send it slowly (JSON allows the spaces; they are stored as sent). */
    private static final String STATE =
            "{\"version\":4,\"serial\":7,\"lineage\":\"l\",\"resources\":[]" + " ".repeat(8_000) + "}";

    @TempDir
    Path tmp;

    @Test
    void readinessFailsFirstThenTheListenerClosesAndTheWriteInFlightFinishes() throws Exception {
        TestServer server = TestServer.start(
                tmp.resolve("data"), new TestClock(), Map.of("shutdown-drain", "1500ms", "shutdown-timeout", "20s"));
        try {
            String token = server.token(null, Permission.ADMIN);
            int port = server.port();
            byte[] body = STATE.getBytes(UTF_8);
            try (Socket upload = new Socket("127.0.0.1", port)) {
                OutputStream out = upload.getOutputStream();
                out.write(("POST /tf/default/net HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(UTF_8));
                out.write(body, 0, 10); // the write is in flight, its body arriving slowly (as over a slow link)
                out.flush();
                java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger(10);
                java.util.concurrent.atomic.AtomicBoolean trickle = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread slowClient = Thread.ofVirtual().start(() -> {
                    try {
                        while (trickle.get() && sent.get() + 20 < body.length - 1) {
                            out.write(body, sent.get(), 20);
                            out.flush();
                            sent.addAndGet(20);
                            Thread.sleep(50);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                    try {
                        server.server().close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                TestServer.Response ready = awaitReadiness(server, 503);
                assertThat(ready.body()).contains("shutting down");
                TestServer.Response served = server.send("GET", "/healthz", null, (String) null);
                assertThat(served.status()).as("still serving while draining").isEqualTo(200);
                assertThat(served.header("Connection")).isEqualTo("close");

                awaitRefused(port);
                assertThat(stopping).as("waits for the write in flight").isNotDone();
                trickle.set(false);
                slowClient.join();
                out.write(body, sent.get(), body.length - sent.get());
                out.flush();
                String response = readResponse(upload.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200");
                stopping.get(20, TimeUnit.SECONDS);
            }
            assertThat(server.node()
                            .state()
                            .states()
                            .read(TestPrincipals.admin("test"), new StateKey("default", "net"))
                            .orElseThrow()
                            .version()
                            .serial())
                    .isEqualTo(7);
        } finally {
            server.close();
        }
    }

    private static TestServer.Response awaitReadiness(TestServer server, int status) throws InterruptedException {
        TestServer.Response r = null;
        for (int i = 0; i < 100; i++) {
            r = server.send("GET", "/readyz", null, (String) null);
            if (r.status() == status) {
                return r;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("readyz never answered " + status + ": " + r);
    }

    /** Waits (bounded) until a new connection is refused: the listener is closed. */
    private static void awaitRefused(int port) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                // not refused yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the listener never closed");
    }

    private static String readResponse(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, UTF_8);
    }
}
