package dev.statefort.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The baseline for {@code bench/terraform/run.sh}: the least an http backend can be (states and
 * locks in a map, no durability, no authentication, no checks). Listens on 127.0.0.1 only.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.statefort.bench.load.InMemoryBackend PORT</pre>
 */
public final class InMemoryBackend {
    private final Map<String, byte[]> states = new ConcurrentHashMap<>();
    private final Map<String, byte[]> locks = new ConcurrentHashMap<>();

    private InMemoryBackend() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        InMemoryBackend backend = new InMemoryBackend();
        server.createContext("/", backend::handle);
        server.start();
        System.out.println("in-memory backend on http://127.0.0.1:" + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                byte[] state = states.get(path);
                answer(exchange, state == null ? 404 : 200, state);
            }
            case "POST" -> {
                states.put(path, body);
                answer(exchange, 200, null);
            }
            case "DELETE" -> {
                states.remove(path);
                answer(exchange, 200, null);
            }
            case "LOCK" -> {
                byte[] holder = locks.putIfAbsent(path, body);
                answer(exchange, holder == null ? 200 : 423, holder);
            }
            case "UNLOCK" -> {
                locks.remove(path);
                answer(exchange, 200, null);
            }
            default -> answer(exchange, 405, null);
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
