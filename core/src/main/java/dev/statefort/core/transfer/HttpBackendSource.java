package dev.statefort.core.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The current state of any Terraform {@code http} backend (GitLab, Gitea, a WebDAV server, another
 * Statefort): one state per {@link Entry}, whose single version is a GET of its URL, read as
 * Terraform reads it: a 200 with a body is the state; a 204, a 404 or an empty body is "no state
 * yet" (no versions, not a failure); a 401 or 403 fails that state alone, naming the URL and the
 * status. Created at the response's {@code Last-Modified} when it has one.
 *
 * <p>Basic auth is sent when a username is given, else with the {@code user:password@} of a URL that
 * has one; never to another origin on a redirect. URLs are named without their userinfo everywhere.
 */
public final class HttpBackendSource implements StateSource {
    private static final int DESCRIBED_URLS = 3;

    /**
     * One state to read.
     *
     * @param stateName the Statefort state it is imported into
     * @param url its http backend address ({@code http} or {@code https})
     */
    public record Entry(String stateName, URI url) {
        public Entry {
            Objects.requireNonNull(stateName, "stateName");
            Objects.requireNonNull(url, "url");
            if (!SourceHttp.isHttp(url)) {
                throw new IllegalArgumentException(
                        "not an http(s) URL: " + (url.getRawUserInfo() == null ? url : "(a URL with userinfo)"));
            }
        }

        @Override
        public String toString() {
            return "Entry[stateName=" + stateName + ", url=" + SourceHttp.withoutUserInfo(url) + "]";
        }
    }

    private record Target(String name, URI url, String authorization) {
        @Override
        public String toString() {
            return url.toString();
        }
    }

    private final List<Target> targets;
    private final SourceHttp http = new SourceHttp();
    private long maxBytes = Integer.MAX_VALUE - 8;

    /**
     * @param entries the states to read
     * @param username the basic-auth username, or null: none (or each URL's own userinfo)
     * @param password the basic-auth password (null: empty); only with a username
     */
    public HttpBackendSource(List<Entry> entries, String username, String password) {
        if (username == null && password != null) {
            throw new IllegalArgumentException("a password needs a username");
        }
        String explicit = username == null ? null : basic(username, password == null ? "" : password);
        List<Target> targets = new ArrayList<>();
        for (Entry entry : entries) {
            targets.add(new Target(
                    entry.stateName(),
                    SourceHttp.withoutUserInfo(entry.url()),
                    explicit != null ? explicit : fromUserInfo(entry.url())));
        }
        this.targets = List.copyOf(targets);
    }

    /**
     * The states listed in {@code file}, a line {@code NAME URL} each; blank lines and comments (from
     * a {@code #} word to the end of its line) are ignored.
     *
     * @throws IllegalArgumentException naming the line number of a line that is not {@code NAME URL}
     *     with an http(s) URL, or when the file lists nothing
     * @throws IOException when the file cannot be read
     */
    public static HttpBackendSource fromList(Path file, String username, String password) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            entries.addAll(parseLine(file, i + 1, lines.get(i)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no state (expected lines 'NAME URL')");
        }
        return new HttpBackendSource(entries, username, password);
    }

    private static List<Entry> parseLine(Path file, int number, String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.trim().split("\\s+")) {
            if (word.startsWith("#")) {
                break;
            }
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        if (words.isEmpty()) {
            return List.of();
        }
        String where = file + " line " + number + ": ";
        if (words.size() != 2) {
            // the line itself is never repeated: it may hold a password
            throw new IllegalArgumentException(
                    where + "expected 'NAME URL', found " + words.size() + (words.size() == 1 ? " word" : " words"));
        }
        URI url;
        try {
            url = new URI(words.get(1));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(where + "the URL is not valid");
        }
        try {
            return List.of(new Entry(words.get(0), url));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    @Override
    public String describe() {
        if (targets.size() == 1) {
            return "http backend " + targets.getFirst().url();
        }
        StringBuilder s = new StringBuilder("http backends ");
        for (int i = 0; i < Math.min(DESCRIBED_URLS, targets.size()); i++) {
            s.append(i == 0 ? "" : ", ").append(targets.get(i).url());
        }
        if (targets.size() > DESCRIBED_URLS) {
            s.append(" and ").append(targets.size() - DESCRIBED_URLS).append(" more");
        }
        return s.toString();
    }

    /** Refuses (as that state's failure) a body larger than {@code bytes}, before reading it all. */
    public HttpBackendSource limitedTo(long bytes) {
        this.maxBytes = Math.min(bytes, Integer.MAX_VALUE - 8);
        return this;
    }

    @Override
    public List<SourceState> states() {
        List<SourceState> states = new ArrayList<>();
        for (Target target : targets) {
            states.add(new SourceState(target.name(), target.url().toString(), () -> fetch(target)));
        }
        return states;
    }

    private List<SourceVersion> fetch(Target target) throws IOException {
        String origin = target.url().toString();
        HttpResponse<InputStream> response = http.get(target.url(), origin, target.authorization(), Map.of());
        int status = response.statusCode();
        byte[] body;
        try (InputStream in = response.body()) {
            switch (status) {
                case 200 -> {
                    body = in.readNBytes((int) maxBytes + 1);
                    if (body.length > maxBytes) {
                        throw new IOException(
                                origin + ": the state is larger than the limit of " + maxBytes + " bytes");
                    }
                }
                case 204, 404 -> {
                    return List.of();
                }
                case 401 ->
                    throw new IOException(origin + ": HTTP 401 ("
                            + (target.authorization() == null
                                    ? "the backend needs credentials"
                                    : "the credentials were refused")
                            + ")");
                case 403 -> throw new IOException(origin + ": HTTP 403 (access denied)");
                default -> throw new IOException(origin + ": HTTP " + status);
            }
        }
        if (isBlank(body)) {
            return List.of();
        }
        Instant createdAt = SourceHttp.lastModified(response.headers());
        return List.of(new SourceVersion(origin, createdAt, () -> new ByteArrayInputStream(body)));
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String fromUserInfo(URI url) {
        String userInfo = url.getRawUserInfo();
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        return basic(decode(user), decode(password));
    }

    private static String decode(String s) {
        // URLDecoder would turn '+' into a space: userinfo is percent-encoded only
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.close();
    }
}
