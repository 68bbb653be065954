package dev.statefort.core.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of the HCP Terraform API v2 on 127.0.0.1: organization {@code acme} with workspaces
 * {@code network} (its state versions downloaded from the API's own origin, token required) and
 * {@code app} (downloaded from a separate "archivist" server, no token), each with three state
 * versions, listed newest first as the real API does. Every list answers one item per page:
 * workspaces with {@code meta.pagination.next-page}, state versions with {@code links.next} only.
 * {@code app} also has a pending state version without a download URL.
 */
public final class FakeTfe implements AutoCloseable {
    public static final String ORG = "acme";
    public static final String TOKEN = "good-token-0123456789";

    public record Version(String id, long serial, Instant createdAt, String body) {}

    record Request(String server, String path, Map<String, String> query, String authorization, String contentType) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, List<Version>> versions = new LinkedHashMap<>(); // oldest first
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger rateLimitWorkspaces = new AtomicInteger();

    private final HttpServer api;
    private final HttpServer archivist;

    public FakeTfe() throws IOException {
        versions.put(
                "network",
                List.of(
                        version("sv-n1", 1, "2024-01-01T10:00:00Z"),
                        version("sv-n2", 2, "2024-01-02T10:00:00Z"),
                        version("sv-n3", 3, "2024-01-03T10:00:00Z")));
        versions.put(
                "app",
                List.of(
                        version("sv-a1", 5, "2024-02-01T09:30:00Z"),
                        version("sv-a2", 6, "2024-02-01T09:30:00Z"),
                        version("sv-a3", 9, "2024-03-15T23:59:59Z")));
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        api = HttpServer.create(loopback, 0);
        archivist = HttpServer.create(loopback, 0);
        api.createContext("/", this::api);
        archivist.createContext("/", this::archivist);
        api.start();
        archivist.start();
    }

    private static Version version(String id, long serial, String createdAt) {
        return new Version(
                id,
                serial,
                Instant.parse(createdAt),
                "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"lin-" + id + "\",\"resources\":[]}");
    }

    /** Each workspace's state versions, oldest first. */
    public Map<String, List<Version>> workspaces() {
        return versions;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort());
    }

    private URI archivistBase() {
        return URI.create("http://127.0.0.1:" + archivist.getAddress().getPort());
    }

    List<Request> requestsTo(String server, String pathPrefix) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> r.server().equals(server) && r.path().startsWith(pathPrefix))
                    .toList();
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            requests.add(new Request(
                    "api",
                    path,
                    query,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"errors\":[{\"status\":\"401\",\"title\":\"unauthorized\"}]}");
                return;
            }
            if (path.startsWith("/_archivist/")) {
                download(exchange, path.substring("/_archivist/".length()));
            } else if (path.equals("/api/v2/organizations/" + ORG + "/workspaces")) {
                if (rateLimitWorkspaces.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.getResponseHeaders().set("Retry-After", "0");
                    send(exchange, 429, "{\"errors\":[{\"status\":\"429\"}]}");
                    return;
                }
                List<Map<String, Object>> items = new ArrayList<>();
                int i = 0;
                for (String name : versions.keySet()) {
                    items.add(Map.of(
                            "id",
                            "ws-" + (++i),
                            "type",
                            "workspaces",
                            "attributes",
                            Map.of("name", name, "tag-names", List.of("team-" + name, "from-hcp"))));
                }
                int page = Integer.parseInt(query.getOrDefault("page[number]", "1"));
                Integer next = page < items.size() ? page + 1 : null;
                Map<String, Object> pagination = new LinkedHashMap<>();
                pagination.put("current-page", page);
                pagination.put("next-page", next);
                pagination.put("total-count", items.size());
                send(
                        exchange,
                        200,
                        JSON.writeValueAsString(Map.of(
                                "data", List.of(items.get(page - 1)), "meta", Map.of("pagination", pagination))));
            } else if (path.startsWith("/api/v2/organizations/")) {
                send(exchange, 404, "{\"errors\":[{\"status\":\"404\",\"title\":\"not found\"}]}");
            } else if (path.equals("/api/v2/state-versions")) {
                stateVersions(exchange, query);
            } else {
                send(exchange, 404, "{}");
            }
        }
    }

    private void stateVersions(HttpExchange exchange, Map<String, String> query) throws IOException {
        String ws = query.get("filter[workspace][name]");
        if (!ORG.equals(query.get("filter[organization][name]")) || !versions.containsKey(ws)) {
            send(exchange, 404, "{}");
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Version v : versions.get(ws).reversed()) { // newest first, as the API lists them
            URI from = ws.equals("network") ? base() : archivistBase();
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("serial", v.serial());
            attributes.put("created-at", v.createdAt().toString());
            attributes.put("status", "finalized");
            attributes.put("hosted-state-download-url", from + "/_archivist/" + v.id());
            items.add(Map.of("id", v.id(), "type", "state-versions", "attributes", attributes));
        }
        if (ws.equals("app")) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("serial", 10);
            attributes.put("created-at", "2024-04-01T00:00:00Z");
            attributes.put("status", "pending");
            attributes.put("hosted-state-download-url", null);
            items.addFirst(Map.of("id", "sv-pending", "type", "state-versions", "attributes", attributes));
        }
        int page = Integer.parseInt(query.getOrDefault("page[number]", "1"));
        Map<String, Object> links = new LinkedHashMap<>();
        links.put(
                "next",
                page < items.size()
                        ? base() + "/api/v2/state-versions?filter%5Bworkspace%5D%5Bname%5D=" + ws
                                + "&filter%5Borganization%5D%5Bname%5D=" + ORG + "&page%5Bnumber%5D=" + (page + 1)
                                + "&page%5Bsize%5D=1"
                        : null);
        send(exchange, 200, JSON.writeValueAsString(Map.of("data", List.of(items.get(page - 1)), "links", links)));
    }

    private void archivist(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(
                    "archivist",
                    path,
                    Map.of(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            download(exchange, path.substring(path.lastIndexOf('/') + 1));
        }
    }

    private void download(HttpExchange exchange, String id) throws IOException {
        for (List<Version> list : versions.values()) {
            for (Version v : list) {
                if (v.id().equals(id)) {
                    send(exchange, 200, v.body());
                    return;
                }
            }
        }
        send(exchange, 404, "");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String body) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.api+json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        api.stop(0);
        archivist.stop(0);
    }
}
