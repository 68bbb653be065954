package dev.statefort.store.gcs;

import com.google.common.hash.Hashing;
import com.google.common.primitives.Ints;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A FAKE of the subset of the GCS JSON API that google-cloud-storage's HTTP client sends for {@link
 * GcsBlobStore}, found by running the client against it: not an emulator. Buckets get/insert; objects
 * get (metadata, and {@code alt=media} with {@code Range}), delete, and insert by {@code
 * uploadType=media}, {@code multipart} and {@code resumable} (session POST, then chunk PUTs with
 * {@code Content-Range}). An object becomes visible only when its upload completes. Plus a {@code
 * /token} endpoint for credentials files. Objects list by {@code prefix}, paged by {@code maxResults}
 * and {@code pageToken}. Anything else is logged in {@link #unknownRequests()} and
 * answered 501. Errors have GCS's JSON shape. Everything lives in memory.
 */
final class FakeGcsServer implements AutoCloseable {
    /** The access token {@code /token} hands out. */
    static final String TOKEN = "fake-access-token";

    private static final Gson GSON = new Gson();
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    record StoredObject(
            String bucket, String name, byte[] data, long generation, String contentType, Instant created) {}

    /** A resumable upload session: bytes received so far, and the object once finalized. */
    private static final class Upload {
        final String bucket;
        final String name;
        final String contentType;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        StoredObject finalized;

        Upload(String bucket, String name, String contentType) {
            this.bucket = bucket;
            this.name = name;
            this.contentType = contentType;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-gcs");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<String> unknown = new CopyOnWriteArrayList<>();
    private volatile String lastAuthorization = "";
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    private volatile int failWith;

    private FakeGcsServer() throws IOException {
        // Without TCP_NODELAY, small responses wait for delayed ACKs: ~40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeGcsServer start() throws IOException {
        return new FakeGcsServer();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every request with this status (in the GCS error shape) until called with 0. */
    void failWith(int status) {
        failWith = status;
    }

    /** How many requests of a kind were served, e.g. {@code "upload.chunk"}; see {@link #handle}. */
    int count(String kind) {
        AtomicInteger n = counts.get(kind);
        return n == null ? 0 : n.get();
    }

    byte[] object(String bucket, String name) {
        StoredObject o = objects.get(bucket + "/" + name);
        return o == null ? null : o.data();
    }

    Set<String> objectNames(String bucket) {
        Set<String> names = new TreeSet<>();
        objects.values().stream().filter(o -> o.bucket().equals(bucket)).forEach(o -> names.add(o.name()));
        return names;
    }

    /** Resumable sessions started but never finalized. */
    int openUploads() {
        return (int) uploads.values().stream().filter(u -> u.finalized == null).count();
    }

    /** The Authorization header of the latest request, "" when it had none. */
    String lastAuthorization() {
        return lastAuthorization;
    }

    List<String> unknownRequests() {
        return List.copyOf(unknown);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- dispatch -------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = body(ex);
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            lastAuthorization = authorization == null ? "" : authorization;
            if (failWith != 0) {
                tally("failed");
                error(ex, failWith, "fake failure");
                return;
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String[] p = path.split("/", 7); // "", storage|upload|download, [storage,] v1, b, bucket, o, ...
            if (path.equals("/token") && method.equals("POST")) {
                token(ex);
            } else if (path.startsWith("/upload/storage/v1/b/") && p.length == 7 && p[6].equals("o")) {
                upload(ex, method, decode(p[5]), query, body);
            } else if (path.equals("/storage/v1/b") && method.equals("POST")) {
                insertBucket(ex, body);
            } else if (path.startsWith("/storage/v1/b/") && p.length == 5 && method.equals("GET")) {
                getBucket(ex, decode(p[4]));
            } else if (path.startsWith("/storage/v1/b/") && p.length == 6 && p[5].equals("o") && method.equals("GET")) {
                listObjects(ex, decode(p[4]), query);
            } else if ((path.startsWith("/storage/v1/b/") || path.startsWith("/download/storage/v1/b/"))
                    && path.contains("/o/")) {
                String rest = path.substring(path.indexOf("/b/") + 3);
                String bucket = decode(rest.substring(0, rest.indexOf('/')));
                String name = decode(rest.substring(rest.indexOf("/o/") + 3));
                object(ex, method, bucket, name, query);
            } else {
                unknown(ex);
            }
        } catch (RuntimeException e) {
            error(ex, 500, "fake failed: " + e);
        }
    }

    private void unknown(HttpExchange ex) throws IOException {
        String request = ex.getRequestMethod() + " " + ex.getRequestURI();
        unknown.add(request);
        System.err.println("FakeGcsServer: not implemented: " + request);
        error(ex, 501, "not implemented by the fake: " + request);
    }

    /**
     * Not GCS: an OAuth token endpoint for credentials files pointed at the fake. Answers both a
     * service account's JWT grant and an STS token exchange (workload identity federation).
     */
    private void token(HttpExchange ex) throws IOException {
        tally("token");
        JsonObject token = new JsonObject();
        token.addProperty("access_token", TOKEN);
        token.addProperty("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
        token.addProperty("token_type", "Bearer");
        token.addProperty("expires_in", 3600);
        json(ex, 200, token);
    }

    // ---- buckets --------------------------------------------------------------------------

    private void insertBucket(HttpExchange ex, byte[] body) throws IOException {
        tally("bucket.insert");
        String name = GSON.fromJson(new String(body, StandardCharsets.UTF_8), JsonObject.class)
                .get("name")
                .getAsString();
        if (!buckets.add(name)) {
            error(ex, 409, "Your previous request to create the named bucket succeeded and you already own it.");
            return;
        }
        json(ex, 200, bucketJson(name));
    }

    private void getBucket(HttpExchange ex, String name) throws IOException {
        tally("bucket.get");
        if (!buckets.contains(name)) {
            error(ex, 404, "The specified bucket does not exist.");
            return;
        }
        json(ex, 200, bucketJson(name));
    }

    private static JsonObject bucketJson(String name) {
        JsonObject b = new JsonObject();
        b.addProperty("kind", "storage#bucket");
        b.addProperty("id", name);
        b.addProperty("name", name);
        b.addProperty("location", "US");
        b.addProperty("storageClass", "STANDARD");
        b.addProperty("metageneration", "1");
        return b;
    }

    // ---- objects --------------------------------------------------------------------------

    private void object(HttpExchange ex, String method, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = objects.get(bucket + "/" + name);
        switch (method) {
            case "GET" -> {
                boolean media = "media".equals(query.get("alt"));
                tally(media ? "object.media" : "object.get");
                if (o == null) {
                    notFound(ex, bucket, name);
                } else if (media) {
                    media(ex, o);
                } else {
                    json(ex, 200, objectJson(o));
                }
            }
            case "DELETE" -> {
                tally("object.delete");
                if (o == null || !objects.remove(bucket + "/" + name, o)) {
                    notFound(ex, bucket, name);
                } else {
                    ex.sendResponseHeaders(204, -1);
                }
            }
            default -> unknown(ex);
        }
    }

    /**
     * objects.list: the objects whose name starts with {@code prefix}, by name, {@code maxResults} a
     * page; {@code pageToken} is the last name of the previous page. No {@code delimiter}, no
     * {@code versions}: those are answered 501.
     */
    private void listObjects(HttpExchange ex, String bucket, Map<String, String> query) throws IOException {
        tally("object.list");
        if (query.containsKey("delimiter") || "true".equals(query.get("versions"))) {
            unknown(ex);
            return;
        }
        if (!buckets.contains(bucket)) {
            error(ex, 404, "The specified bucket does not exist.");
            return;
        }
        String prefix = query.getOrDefault("prefix", "");
        String after = query.get("pageToken");
        int max = query.containsKey("maxResults") ? Integer.parseInt(query.get("maxResults")) : 1000;
        TreeSet<String> names = new TreeSet<>();
        for (StoredObject o : objects.values()) {
            if (o.bucket().equals(bucket) && o.name().startsWith(prefix)) {
                names.add(o.name());
            }
        }
        com.google.gson.JsonArray items = new com.google.gson.JsonArray();
        String last = null;
        for (String name : after == null ? names : names.tailSet(after, false)) {
            if (items.size() == max) {
                break;
            }
            StoredObject o = objects.get(bucket + "/" + name);
            if (o != null) {
                items.add(objectJson(o));
                last = name;
            }
        }
        JsonObject page = new JsonObject();
        page.addProperty("kind", "storage#objects");
        if (!items.isEmpty()) {
            page.add("items", items);
        }
        if (last != null && names.higher(last) != null) {
            page.addProperty("nextPageToken", last);
        }
        json(ex, 200, page);
    }

    private void notFound(HttpExchange ex, String bucket, String name) throws IOException {
        error(
                ex,
                404,
                buckets.contains(bucket)
                        ? "No such object: " + bucket + "/" + name
                        : "The specified bucket does not exist.");
    }

    private void media(HttpExchange ex, StoredObject o) throws IOException {
        byte[] data = o.data();
        int from = 0;
        int to = data.length - 1;
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            to = m.group(2).isEmpty() ? to : Math.min(to, Integer.parseInt(m.group(2)));
            if (from >= data.length) {
                error(ex, 416, "Request range not satisfiable");
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
        }
        ex.getResponseHeaders().set("Content-Type", o.contentType());
        ex.getResponseHeaders().set("x-goog-generation", Long.toString(o.generation()));
        ex.getResponseHeaders().set("x-goog-metageneration", "1");
        ex.getResponseHeaders().set("x-goog-stored-content-length", Integer.toString(data.length));
        ex.getResponseHeaders().set("x-goog-hash", "crc32c=" + crc32c(data) + ",md5=" + md5(data));
        int length = to - from + 1;
        ex.sendResponseHeaders(range != null && m.matches() ? 206 : 200, length == 0 ? -1 : length);
        if (length > 0) {
            ex.getResponseBody().write(data, from, length);
        }
    }

    private JsonObject objectJson(StoredObject o) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", "storage#object");
        j.addProperty("id", o.bucket() + "/" + o.name() + "/" + o.generation());
        j.addProperty("name", o.name());
        j.addProperty("bucket", o.bucket());
        j.addProperty("generation", Long.toString(o.generation()));
        j.addProperty("metageneration", "1");
        j.addProperty("contentType", o.contentType());
        j.addProperty("size", Integer.toString(o.data().length));
        j.addProperty("crc32c", crc32c(o.data()));
        j.addProperty("md5Hash", md5(o.data()));
        j.addProperty("etag", "CAE=");
        j.addProperty("storageClass", "STANDARD");
        j.addProperty("timeCreated", o.created().toString());
        j.addProperty("updated", o.created().toString());
        return j;
    }

    private StoredObject store(String bucket, String name, String contentType, byte[] data) {
        StoredObject o = new StoredObject(
                bucket,
                name,
                data,
                generations.incrementAndGet(),
                contentType == null ? "application/octet-stream" : contentType,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        objects.put(bucket + "/" + name, o);
        return o;
    }

    // ---- uploads --------------------------------------------------------------------------

    private void upload(HttpExchange ex, String method, String bucket, Map<String, String> query, byte[] body)
            throws IOException {
        String type = query.get("uploadType");
        if (method.equals("PUT") && "resumable".equals(type) && query.containsKey("upload_id")) {
            chunk(ex, query.get("upload_id"), body);
            return;
        }
        if (!method.equals("POST") || type == null) {
            unknown(ex);
            return;
        }
        if (!buckets.contains(bucket)) {
            error(ex, 404, "The specified bucket does not exist.");
            return;
        }
        switch (type) {
            case "media" -> {
                tally("upload.media");
                json(ex, 200, objectJson(store(bucket, query.get("name"), contentType(ex), body)));
            }
            case "multipart" -> {
                tally("upload.multipart");
                byte[][] parts = multipart(ex.getRequestHeaders().getFirst("Content-Type"), body);
                JsonObject meta = GSON.fromJson(new String(parts[0], StandardCharsets.UTF_8), JsonObject.class);
                String contentType =
                        meta.has("contentType") ? meta.get("contentType").getAsString() : null;
                if (meta.has("crc32c") && !meta.get("crc32c").getAsString().equals(crc32c(parts[1]))) {
                    error(ex, 400, "Provided CRC32C does not match the data");
                    return;
                }
                json(ex, 200, objectJson(store(bucket, meta.get("name").getAsString(), contentType, parts[1])));
            }
            case "resumable" -> {
                tally("upload.start");
                JsonObject meta = body.length == 0
                        ? new JsonObject()
                        : GSON.fromJson(new String(body, StandardCharsets.UTF_8), JsonObject.class);
                String name = meta.has("name") ? meta.get("name").getAsString() : query.get("name");
                String contentType =
                        meta.has("contentType") ? meta.get("contentType").getAsString() : null;
                String id = UUID.randomUUID().toString();
                uploads.put(id, new Upload(bucket, name, contentType));
                ex.getResponseHeaders()
                        .set(
                                "Location",
                                endpoint() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id="
                                        + id);
                ex.sendResponseHeaders(200, -1);
            }
            default -> unknown(ex);
        }
    }

    /**
     * One PUT of a resumable session, by its {@code Content-Range}: {@code bytes a-b/*} (a chunk, 308),
     * {@code bytes a-b/total} (the last chunk, 200 and the object), {@code bytes * /*} (a status query).
     */
    private void chunk(HttpExchange ex, String id, byte[] body) throws IOException {
        tally("upload.chunk");
        Upload upload = uploads.get(id);
        String header = ex.getRequestHeaders().getFirst("Content-Range");
        Matcher m = header == null ? null : CONTENT_RANGE.matcher(header);
        if (upload == null) {
            error(ex, 404, "No such upload session");
            return;
        }
        if (m == null || !m.matches()) {
            error(ex, 400, "bad Content-Range: " + header);
            return;
        }
        synchronized (upload) {
            if (upload.finalized != null) {
                json(ex, 200, objectJson(upload.finalized));
                return;
            }
            long have = upload.data.size();
            if (m.group(1) != null) {
                long from = Long.parseLong(m.group(1));
                if (from > have) {
                    error(ex, 400, "chunk starts at " + from + " but the session holds " + have + " bytes");
                    return;
                }
                int skip = (int) (have - from); // a resent chunk: keep only the new bytes
                upload.data.write(body, Math.min(skip, body.length), Math.max(0, body.length - skip));
            }
            long size = upload.data.size();
            if (!m.group(3).equals("*") && size == Long.parseLong(m.group(3))) {
                tally("upload.finalized");
                upload.finalized = store(upload.bucket, upload.name, upload.contentType, upload.data.toByteArray());
                json(ex, 200, objectJson(upload.finalized));
                return;
            }
            if (size > 0) {
                ex.getResponseHeaders().set("Range", "bytes=0-" + (size - 1));
            }
            ex.sendResponseHeaders(308, -1);
        }
    }

    /** The two parts of a {@code multipart/related} body: the JSON metadata and the media. */
    private static byte[][] multipart(String contentType, byte[] body) {
        Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("no multipart boundary in " + contentType);
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        byte[][] parts = new byte[2][];
        int at = indexOf(body, delimiter, 0);
        for (int i = 0; i < 2; i++) {
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at) + 4;
            int next = indexOf(body, delimiter, headersEnd);
            parts[i] = Arrays.copyOfRange(body, headersEnd, next - 2); // minus the CRLF before the delimiter
            at = next;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("malformed multipart body");
    }

    // ---- plumbing -------------------------------------------------------------------------

    private void tally(String kind) {
        counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static String contentType(HttpExchange ex) {
        return ex.getRequestHeaders().getFirst("Content-Type");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** Decodes a path segment ('+' is a plus there, not a space). */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String crc32c(byte[] data) {
        int crc = Hashing.crc32c().hashBytes(data).asInt(); // GCS sends it big-endian, base64-encoded
        return Base64.getEncoder().encodeToString(Ints.toByteArray(crc));
    }

    @SuppressWarnings("deprecation") // md5 is what GCS reports
    private static String md5(byte[] data) {
        return Base64.getEncoder().encodeToString(Hashing.md5().hashBytes(data).asBytes());
    }

    private static void json(HttpExchange ex, int status, JsonObject json) throws IOException {
        byte[] bytes = GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An error in GCS's JSON shape: {@code {"error":{"code":404,"message":"..."}}}. */
    private static void error(HttpExchange ex, int status, String message) throws IOException {
        JsonObject detail = new JsonObject();
        detail.addProperty("domain", "global");
        detail.addProperty("reason", status == 404 ? "notFound" : status == 409 ? "conflict" : "backendError");
        detail.addProperty("message", message);
        JsonObject error = new JsonObject();
        error.addProperty("code", status);
        error.addProperty("message", message);
        com.google.gson.JsonArray errors = new com.google.gson.JsonArray();
        errors.add(detail);
        error.add("errors", errors);
        JsonObject json = new JsonObject();
        json.add("error", error);
        json(ex, status, json);
    }
}
