package dev.statefort.bench.load;

import dev.statefort.bench.TerraformStateGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small load generator for {@code bench/load/run.sh}, always against 127.0.0.1 and bounded in time
 * (and in requests). Scenarios:
 *
 * <ul>
 *   <li>{@code cycle}: each client LOCK → GET → POST ?ID= → UNLOCK on a state of its own (what
 *       {@code terraform apply} does); one cycle is one unit.
 *   <li>{@code dav}: the baseline for {@code cycle}: each client PUT then GET of a file of its own on
 *       nginx WebDAV (no lock, no fsync).
 *   <li>{@code race}: all clients race for one state's lock; a holder GETs, POSTs serial + 1 and
 *       unlocks; one grant is one unit; at the end the serial must equal the grants (no lost update).
 *       A refused client asks again at once, or after {@code --retry-ms} (Terraform's
 *       {@code -lock-timeout} waits a second and more between attempts).
 *   <li>{@code planners}: on one state, {@code clients - 1} planners each take a shared plan lock
 *       (LOCK with {@code Operation: OperationTypePlan}) → GET → UNLOCK, and one applier LOCK → GET
 *       → POST serial + 1 → UNLOCK, asking again after {@code --retry-ms} (default 100) when
 *       refused, and applying again {@code --apply-pause-ms} (default 500) after each apply (an
 *       applier that never pauses keeps the plans out by design: it always holds or waits for the
 *       lock); one plan grant is one unit; it prints the applies per second and how long the
 *       applier waited for each grant (a starved applier shows here). At the end the serial must
 *       equal the applies.
 *   <li>{@code get}: GET of one URL; one response is one unit. With {@code --gzip true} the request
 *       says {@code Accept-Encoding: gzip} (as Terraform's client does); the bytes received per
 *       response are printed either way.
 *   <li>{@code post} / {@code put}: each client writes one state of {@code --size} bytes per unit,
 *       without a lock (Statefort POST, nginx WebDAV PUT): the large-state scenario.
 * </ul>
 *
 * Bodies of {@code cycle}, {@code dav}, {@code post} and {@code put} are Terraform states of about
 * {@code --size} bytes made by {@link TerraformStateGenerator} (as compressible as real ones).
 *
 * <p>With {@code -Dload.per-method=true} it also prints the latency of each request method.
 *
 * <p>Prints one line: {@code scenario clients units/s p50-ms p99-ms bytes/unit statuses}. Any
 * status other than 2xx (and 423 in {@code race} and {@code planners}, 404 before a state's first write) is counted as
 * a failure.
 */
public final class LoadGenerator {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;
    private final String authorization;
    private final byte[] body;
    private final String bodyMd5;
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong units = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final Map<String, List<Long>> perMethod = new ConcurrentHashMap<>();
    private final boolean acceptGzip;
    /** race and planners: how long a client waits after a refused LOCK before it asks again (0: at once). */
    private long retryMillis;

    /** planners: how long the applier pauses after each apply. */
    private long applyPauseMillis;

    /** planners: the applier's applies and how long it waited for each grant. */
    private final AtomicLong applies = new AtomicLong();

    private final List<Long> applyWaits = java.util.Collections.synchronizedList(new ArrayList<>());

    private LoadGenerator(String base, String authorization, int size, boolean acceptGzip) {
        this.base = base;
        this.authorization = authorization;
        this.body = new TerraformStateGenerator(size).ofAtLeast(size);
        this.bodyMd5 = md5(body);
        this.acceptGzip = acceptGzip;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = a.getOrDefault("url", "http://127.0.0.1:8080");
        if (!URI.create(url).getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("load goes to 127.0.0.1 only");
        }
        String mode = a.getOrDefault("mode", "cycle");
        int clients = Integer.parseInt(a.getOrDefault("clients", "1"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "5"));
        int size = Integer.parseInt(a.getOrDefault("size", "10240"));
        String token = a.get("token");
        String auth = token == null ? null : "Bearer " + token;
        boolean gzip = Boolean.parseBoolean(a.getOrDefault("gzip", "false"));
        LoadGenerator load = new LoadGenerator(url, auth, size, gzip);
        load.retryMillis = Long.parseLong(a.getOrDefault("retry-ms", mode.equals("planners") ? "100" : "0"));
        load.applyPauseMillis = Long.parseLong(a.getOrDefault("apply-pause-ms", "500"));
        load.run(mode, clients, seconds, a.getOrDefault("prefix", "load"), a.get("path"), size);
    }

    private void run(String mode, int clients, double seconds, String prefix, String path, int size) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long maxUnits = 1_000_000;
        AtomicLong raceSerial = new AtomicLong();
        if (mode.equals("race") || mode.equals("planners")) {
            send("POST", "/tf/default/" + prefix + "-race", state(0, size), false);
        }
        if (mode.equals("get")) {
            send("GET", path, null, false);
        }
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    long serial = 0;
                    while (System.nanoTime() < deadline && units.get() < maxUnits) {
                        long start = System.nanoTime();
                        boolean unit =
                                switch (mode) {
                                    case "cycle" ->
                                        cycle("/tf/default/" + prefix + "-" + client, "c" + client, ++serial);
                                    case "dav" -> dav("/dav/" + prefix + "-" + client);
                                    case "race" -> race("/tf/default/" + prefix + "-race", "r" + client, raceSerial);
                                    case "planners" ->
                                        client == 0
                                                ? applyAfterWaiting("/tf/default/" + prefix + "-race", deadline)
                                                : plan("/tf/default/" + prefix + "-race", "p" + client);
                                    case "get" -> get(path) / 100 == 2;
                                    case "post" ->
                                        send("POST", "/tf/default/" + prefix + "-w" + client, body, true) == 200;
                                    case "put" -> send("PUT", "/dav/" + prefix + "-w" + client, body, true) / 100 == 2;
                                    default -> throw new IllegalArgumentException("mode " + mode);
                                };
                        if (unit) {
                            units.incrementAndGet();
                            latencies.add(System.nanoTime() - start);
                        }
                    }
                } catch (Exception e) {
                    statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    System.err.println("client failed: " + e);
                }
            }));
        }
        long started = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((s, n) -> counted.put(s, n.get()));
        String check = "";
        if (mode.equals("planners")) {
            long[] waits =
                    applyWaits.stream().mapToLong(Long::longValue).sorted().toArray();
            check = String.format(
                    " applies/s=%.1f apply-wait-p50-ms=%.1f apply-wait-max-ms=%.1f",
                    applies.get() / ((System.nanoTime() - started) / 1e9),
                    percentile(waits, 0.5),
                    waits.length == 0 ? Double.NaN : waits[waits.length - 1] / 1e6);
        }
        if (mode.equals("race") || mode.equals("planners")) {
            String last = new String(
                    HTTP.send(
                                    request("GET", "/tf/default/" + prefix + "-race", null),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .body(),
                    StandardCharsets.UTF_8);
            long serial = Long.parseLong(last.replaceAll("(?s).*\"serial\":(\\d+).*", "$1"));
            long expected = mode.equals("race") ? units.get() : applies.get();
            check += serial == expected ? " no-lost-update" : " LOST-UPDATES(serial " + serial + ")";
        }
        System.out.printf(
                "%s clients=%d units/s=%.1f p50-ms=%.2f p99-ms=%.2f bytes/unit=%d statuses=%s%s%n",
                mode,
                clients,
                units.get() / elapsed,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                units.get() == 0 ? 0 : bytesReceived.get() / units.get(),
                counted,
                check);
        if (Boolean.getBoolean("load.per-method")) {
            perMethod.forEach((method, list) -> {
                long[] each = list.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf(
                        "  %s n=%d p50-ms=%.2f p99-ms=%.2f%n",
                        method, each.length, percentile(each, 0.5), percentile(each, 0.99));
            });
        }
    }

    private boolean cycle(String path, String lockId, long serial) throws Exception {
        String info = lockInfo(lockId);
        return send("LOCK", path, info.getBytes(StandardCharsets.UTF_8), true) == 200
                & send("GET", path, null, true) / 100 <= 4
                & send("POST", path + "?ID=" + lockId, body, true) == 200
                & send("UNLOCK", path, info.getBytes(StandardCharsets.UTF_8), true) == 200;
    }

    private boolean dav(String path) throws Exception {
        return send("PUT", path, body, true) / 100 == 2 & send("GET", path, null, true) == 200;
    }

    private boolean race(String path, String lockId, AtomicLong serials) throws Exception {
        byte[] info = lockInfo(lockId).getBytes(StandardCharsets.UTF_8);
        int lock = send("LOCK", path, info, true);
        if (lock != 200) {
            if (retryMillis > 0) {
                Thread.sleep(retryMillis);
            }
            return false;
        }
        HttpResponse<byte[]> current = HTTP.send(request("GET", path, null), HttpResponse.BodyHandlers.ofByteArray());
        count(current.statusCode());
        String text = new String(current.body(), StandardCharsets.UTF_8);
        long serial = Long.parseLong(text.replaceAll("(?s).*\"serial\":(\\d+).*", "$1"));
        send("POST", path + "?ID=" + lockId, state(serial + 1, 512), true);
        send("UNLOCK", path, info, true);
        serials.incrementAndGet();
        return true;
    }

    /** planners: a plan's shared lock, its read, its unlock; a unit when the lock was granted. */
    private boolean plan(String path, String lockId) throws Exception {
        byte[] info = lockInfo(lockId, "OperationTypePlan").getBytes(StandardCharsets.UTF_8);
        if (send("LOCK", path, info, true) != 200) {
            if (retryMillis > 0) {
                Thread.sleep(retryMillis);
            }
            return false;
        }
        send("GET", path, null, true);
        send("UNLOCK", path, info, true);
        return true;
    }

    /**
     * planners: the applier asks for the exclusive lock until it is granted (or the run ends), then
     * writes serial + 1 and unlocks; its wait is recorded. Not a unit (units are plan grants).
     */
    private boolean applyAfterWaiting(String path, long deadline) throws Exception {
        byte[] info = lockInfo("applier").getBytes(StandardCharsets.UTF_8);
        long asked = System.nanoTime();
        while (send("LOCK", path, info, true) != 200) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(Math.max(1, retryMillis));
        }
        applyWaits.add(System.nanoTime() - asked);
        HttpResponse<byte[]> current = HTTP.send(request("GET", path, null), HttpResponse.BodyHandlers.ofByteArray());
        count(current.statusCode());
        String text = new String(current.body(), StandardCharsets.UTF_8);
        long serial = Long.parseLong(text.replaceAll("(?s).*\"serial\":(\\d+).*", "$1"));
        send("POST", path + "?ID=applier", state(serial + 1, 512), true);
        send("UNLOCK", path, info, true);
        applies.incrementAndGet();
        Thread.sleep(applyPauseMillis);
        return false;
    }

    /** A GET whose body is read and counted as it arrives on the wire (compressed if so sent). */
    private int get(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (acceptGzip) {
            b.header("Accept-Encoding", "gzip");
        }
        HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (java.io.InputStream in = r.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        }
        bytesReceived.addAndGet(total);
        count(r.statusCode());
        return r.statusCode();
    }

    private int send(String method, String path, byte[] content, boolean counted) throws Exception {
        long start = System.nanoTime();
        HttpResponse<Void> r = HTTP.send(request(method, path, content), HttpResponse.BodyHandlers.discarding());
        perMethod
                .computeIfAbsent(method, m -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(System.nanoTime() - start);
        if (counted) {
            count(r.statusCode());
        }
        return r.statusCode();
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    private HttpRequest request(String method, String path, byte[] content) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        content == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(content));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (content != null) {
            b.header("Content-Type", "application/json");
            if (method.equals("POST")) {
                // as Terraform's http backend does on every state write
                b.header("Content-MD5", content == body ? bodyMd5 : md5(content));
            }
        }
        return b.build();
    }

    private static String lockInfo(String id) {
        return lockInfo(id, "OperationTypeApply");
    }

    private static String lockInfo(String id, String operation) {
        return "{\"ID\":\"" + id + "\",\"Operation\":\"" + operation + "\",\"Info\":\"\",\"Who\":\"load\","
                + "\"Version\":\"1.11.4\",\"Created\":\"2026-01-01T00:00:00Z\",\"Path\":\"\"}";
    }

    /** A Terraform-shaped state of about {@code size} bytes (one output padded with text). */
    private static byte[] state(long serial, int size) {
        String head = "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":" + serial
                + ",\"lineage\":\"load\",\"outputs\":{\"pad\":{\"value\":\"";
        String tail = "\",\"type\":\"string\"}},\"resources\":[]}\n";
        int pad = Math.max(0, size - head.length() - tail.length());
        char[] filler = new char[pad];
        for (int i = 0; i < pad; i++) {
            filler[i] = (char) ('a' + (i * 7 + i / 13) % 26);
        }
        return (head + new String(filler) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static String md5(byte[] content) {
        try {
            return java.util.Base64.getEncoder()
                    .encodeToString(
                            java.security.MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    @Override
    public String toString() {
        return Arrays.toString(new Object[] {base, units});
    }
}
