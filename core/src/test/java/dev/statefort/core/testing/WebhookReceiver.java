package dev.statefort.core.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on 127.0.0.1 for tests: keeps every request it gets (time, headers, body),
 * answers the scripted statuses in turn (then 200), and verifies Standard Webhooks signatures the way
 * that convention's libraries do (HMAC-SHA256 of {@code id.timestamp.body} keyed by the base64 part
 * of the {@code whsec_} secret), written here from the convention, not with the product's code.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(Instant at, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** Whether the Standard Webhooks signature verifies with {@code secret}. */
        public boolean signedWith(String secret) {
            try {
                byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                String signed = header("webhook-id") + "." + header("webhook-timestamp") + "." + body;
                String expected = "v1,"
                        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
                return expected.equals(header("webhook-signature"));
            } catch (Exception e) {
                return false;
            }
        }
    }

    /** A scripted answer: a status, and a Location header or null. */
    public record Answer(int status, String location) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        return start(0);
    }

    /** On this port of 127.0.0.1 (0: any free one). */
    public static WebhookReceiver start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            Answer answer;
            synchronized (receiver) {
                receiver.received.add(new Received(
                        Instant.now(),
                        exchange.getRequestURI().getPath(),
                        headers,
                        new String(body, StandardCharsets.UTF_8)));
                answer = receiver.script.isEmpty() ? new Answer(200, null) : receiver.script.poll();
                receiver.notifyAll();
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return receiver;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Answers these next, in order (then 200 again). */
    public synchronized void answer(Answer... answers) {
        script.addAll(List.of(answers));
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} requests matching {@code which} arrived (at most {@code max}); returns them. */
    public synchronized List<Received> await(Predicate<Received> which, int count, Duration max)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            List<Received> matching = received.stream().filter(which).toList();
            long left = end - System.nanoTime();
            if (matching.size() >= count || left <= 0) {
                return matching;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
