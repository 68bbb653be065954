package dev.statefort.core.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GETs of the sources that read over HTTP ({@link HttpBackendSource}, {@link TfeStateSource}):
 * timeouts, a 429 waited out ({@code Retry-After}) up to {@link #MAX_RETRIES} times, and redirects
 * followed by hand so that credentials never reach another origin (nor an https URL's redirect to
 * http). Error messages name {@code what} the caller says, never a URL's userinfo nor a credential.
 */
final class SourceHttp implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_RETRIES = 3;
    static final int MAX_REDIRECTS = 5;
    static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(1);
    private static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);

    private final HttpClient client;

    SourceHttp() {
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * GETs {@code uri}; {@code authorization} (a whole {@code Authorization} value, or null) is sent
     * only to {@code uri}'s origin. The caller reads and closes the returned body, whatever its
     * status; a 429 still there after the retries is returned as is.
     */
    HttpResponse<InputStream> get(URI uri, String what, String authorization, Map<String, String> headers)
            throws IOException {
        URI current = withoutUserInfo(uri);
        int redirects = 0;
        int retries = 0;
        while (true) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(current).timeout(REQUEST_TIMEOUT).GET();
            headers.forEach(request::header);
            if (authorization != null && sameOrigin(uri, current)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = send(request.build(), what);
            int status = response.statusCode();
            if (status == 429 && retries < MAX_RETRIES) {
                discard(response);
                retries++;
                sleep(retryAfter(response.headers()), what);
                continue;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                discard(response);
                if (++redirects > MAX_REDIRECTS) {
                    throw new IOException(what + ": more than " + MAX_REDIRECTS + " redirects");
                }
                URI next;
                try {
                    next = current.resolve(location.get().trim());
                } catch (IllegalArgumentException e) {
                    throw new IOException(what + ": HTTP " + status + " redirects to an invalid URL");
                }
                if (!isHttp(next)) {
                    throw new IOException(what + ": HTTP " + status + " redirects to a URL that is not http(s)");
                }
                if ("https".equalsIgnoreCase(current.getScheme()) && "http".equalsIgnoreCase(next.getScheme())) {
                    throw new IOException(what + ": refused a redirect from https to http");
                }
                current = withoutUserInfo(next);
                continue;
            }
            return response;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request, String what) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException(what + ": timed out (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + ": interrupted");
        } catch (IOException e) {
            throw new IOException(
                    what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static void sleep(Duration wait, String what) throws IOException {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + ": interrupted while rate limited");
        }
    }

    /** The wait a 429 asks for: {@code Retry-After} in seconds or as a date, at most a minute. */
    static Duration retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return DEFAULT_RETRY_WAIT;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.get()));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                wait = Duration.between(Instant.now(), at);
            } catch (DateTimeException notADate) {
                wait = DEFAULT_RETRY_WAIT;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait;
    }

    /** The response's {@code Last-Modified}, or null when absent or unreadable. */
    static Instant lastModified(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Last-Modified");
        if (value.isEmpty()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Closes a response's body without reading it. */
    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closed unread: nothing to do
        }
    }

    static boolean isHttp(URI uri) {
        return uri.isAbsolute()
                && uri.getHost() != null
                && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** {@code uri} without its userinfo ({@code user:password@}) nor fragment: fit for messages and requests. */
    static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
            return uri;
        }
        String authority = uri.getRawAuthority();
        StringBuilder s = new StringBuilder()
                .append(uri.getScheme().toLowerCase(Locale.ROOT))
                .append("://")
                .append(authority.substring(authority.lastIndexOf('@') + 1));
        if (uri.getRawPath() != null) {
            s.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        return URI.create(s.toString());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
