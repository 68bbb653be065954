package dev.statefort.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.server.config.Origins;
import dev.statefort.server.config.TrustedProxies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/** One request and its response, with the blocking helpers the handlers use (they run on virtual threads). */
public final class Exchange {
    public static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";
    static final String FORM = "application/x-www-form-urlencoded";
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS");
    /** The most an HTML form's body may be (they carry a few short fields). */
    static final int MAX_FORM_BYTES = 64 * 1024;
    /** The most an early answer reads and drops of an unread request body before it is sent. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Request request;
    private final Response response;
    /** The configured {@code public-url} (a normalized origin), or null. */
    private final String publicUrl;

    private final TrustedProxies proxies;

    private Fields query;
    private Fields form;
    private UploadForm upload;
    private boolean uploadAllowed;
    private boolean bodyFullyRead;
    private final long maxUploadBytes;
    private final String requestId;
    private final long startNanos = System.nanoTime();
    private String remoteAddress;
    private String routeTemplate;
    private String principalId;
    private int status;
    private long bytesSent;

    Exchange(Request request, Response response, String publicUrl, TrustedProxies proxies, long maxUploadBytes) {
        this.request = request;
        this.response = response;
        this.publicUrl = publicUrl;
        this.proxies = proxies;
        this.maxUploadBytes = maxUploadBytes;
        this.requestId = RequestIds.of(
                request.getHeaders().get(RequestIds.HEADER), proxies.trusts(Request.getRemoteAddr(request)));
        response.getHeaders().put(RequestIds.HEADER, requestId);
    }

    /**
     * This request's ID: the {@code X-Request-Id} a trusted proxy sent (when well formed), else one
     * made here; returned in the response header and in JSON error bodies, and logged.
     */
    public String requestId() {
        return requestId;
    }

    /**
     * The path as a log line may show it: the path itself, except on a route whose path carries a
     * secret (a TFE upload URL), which shows its template instead.
     */
    String pathForLogs() {
        return routeTemplate != null && routeTemplate.contains("{secret}") ? routeTemplate : path();
    }

    /** Notes which route answers (its template, never the raw path), for the access log. */
    void routed(String template) {
        this.routeTemplate = template;
    }

    /** Notes who the request was authenticated as (a principal's name: never a secret), for the access log. */
    public void authenticatedAs(String principal) {
        this.principalId = principal;
    }

    /** What the access log says of a finished request: no body, no header value but the request ID. */
    AccessLogEntry accessLogEntry() {
        return new AccessLogEntry(
                method(),
                routeTemplate,
                status,
                bytesSent,
                System.nanoTime() - startNanos,
                principalId,
                requestId,
                remoteAddress());
    }

    public String method() {
        return request.getMethod();
    }

    /** Whether the request may change something: any method but GET, HEAD and OPTIONS. */
    public boolean isChange() {
        return !SAFE_METHODS.contains(method());
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    /** Case-insensitive header lookup ({@code Content-Md5} and {@code Content-MD5} are the same). */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /**
     * The client's IP address: the peer's, or, when the peer is a trusted proxy, the one its
     * forwarding headers name ({@link TrustedProxies}).
     */
    public String remoteAddress() {
        if (remoteAddress == null) { // read once: the audit origin, the throttle and the access log all ask
            remoteAddress = proxies.clientAddress(Request.getRemoteAddr(request), request.getHeaders());
        }
        return remoteAddress;
    }

    /** Whether the client reached us over HTTPS: this connection is TLS, or a trusted proxy says so. */
    private boolean isHttps() {
        return request.isSecure() || proxies.forwardedHttps(Request.getRemoteAddr(request), request.getHeaders());
    }

    /**
     * The server's own origin, {@code scheme://host[:port]}: the {@code public-url} setting, else the
     * scheme and Host the client addressed. Addresses the server shows start with it; a browser's
     * {@code Origin} must equal it for a change to be accepted.
     */
    public String baseUrl() {
        if (publicUrl != null) {
            return publicUrl;
        }
        var uri = request.getHttpURI();
        String host = header("Host");
        if (!request.isSecure() && host != null && isHttps()) {
            // a TLS-terminating proxy we trust: the browser's origin is https on the Host it addressed
            try {
                org.eclipse.jetty.util.HostPort authority = new org.eclipse.jetty.util.HostPort(host);
                return Origins.of("https", authority.getHost(), authority.getPort(-1));
            } catch (IllegalArgumentException malformed) {
                // fall through to what the request itself says
            }
        }
        return Origins.of(uri.getScheme(), uri.getHost() == null ? "" : uri.getHost(), uri.getPort());
    }

    /** Whether cookies get {@code Secure}: the client uses HTTPS (directly or through a trusted proxy), or {@code public-url} is https. */
    boolean secureCookies() {
        return isHttps() || (publicUrl != null && publicUrl.startsWith("https:"));
    }

    /** Whether a body comes with the request (a Content-Length above 0, or chunked). */
    public boolean hasBody() {
        return request.getLength() > 0
                || (request.getLength() < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /** The media type of the body (Content-Type without parameters, lower case), or null. */
    public String mediaType() {
        String type = header("Content-Type");
        if (type == null) {
            return null;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The value of the request cookie {@code name}, or null. */
    String cookie(String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    void addCookie(HttpCookie cookie) {
        Response.addCookie(response, cookie);
    }

    /** The subject of the client certificate the TLS handshake verified, or null. */
    X500Principal clientCertificateSubject() {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl) {
            X509Certificate[] chain = ssl.peerCertificates();
            if (chain != null && chain.length > 0) {
                return chain[0].getSubjectX500Principal();
            }
        }
        return null;
    }

    public String query(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                throw new InvalidInputException("the query string is malformed");
            }
        }
        return query.getValue(name);
    }

    /** Whether the body is declared as an HTML form ({@code application/x-www-form-urlencoded} or {@code multipart/form-data}). */
    boolean hasFormBody() {
        return FORM.equals(mediaType()) || UploadForm.MEDIA_TYPE.equals(mediaType());
    }

    /**
     * The file uploaded in field {@code name} of a {@code multipart/form-data} form, or null. The
     * form is parsed once (a file of at most the state size limit, kept in memory, released when the
     * response is sent).
     */
    public UploadForm.File formFile(String name) throws IOException {
        return uploadForm() == null ? null : upload.file(name);
    }

    /**
     * Lets this request's {@code multipart/form-data} body carry a file up to the state size limit
     * (the upload routes say so before anything reads the body); any other multipart form is held to
     * {@link #MAX_FORM_BYTES}, as an ordinary form is.
     */
    public void allowUpload() {
        uploadAllowed = true;
    }

    /** Whether this is an upload route's request ({@link #allowUpload()}): its body is read only once the request is authorized. */
    boolean isUpload() {
        return uploadAllowed;
    }

    /** Releases an uploaded form's parts (the response has been written). */
    void releaseUploads() {
        if (upload != null) {
            upload.close();
        }
    }

    private UploadForm uploadForm() throws IOException {
        if (upload == null && UploadForm.MEDIA_TYPE.equals(mediaType())) {
            long limit = uploadAllowed ? maxUploadBytes : MAX_FORM_BYTES;
            if (contentLength() > limit + UploadForm.OVERHEAD) {
                if (uploadAllowed) {
                    throw new dev.statefort.core.state.StateTooLargeException(limit);
                }
                throw new RequestTooLargeException("form", MAX_FORM_BYTES);
            }
            upload = UploadForm.parse(request, header("Content-Type"), limit);
            bodyFullyRead = true;
        }
        return upload;
    }

    /**
     * A field of the HTML form in the body, or null. The body (at most {@link #MAX_FORM_BYTES}) is
     * read and parsed once, on first use, and only when it is declared as a form: a state body is
     * never read here.
     */
    public String formField(String name) throws IOException {
        if (uploadForm() != null) {
            return upload.text(name);
        }
        if (form == null) {
            if (!hasFormBody()) {
                return null;
            }
            byte[] body = readSmallBody(MAX_FORM_BYTES, "form");
            try {
                Fields fields = new Fields();
                org.eclipse.jetty.util.UrlEncoded.decodeUtf8To(new String(body, StandardCharsets.UTF_8), fields);
                form = fields;
            } catch (RuntimeException e) {
                throw new InvalidInputException("the form is malformed");
            }
        }
        return form.getValue(name);
    }

    /** Every value of a field of the HTML form in the body (checkboxes sharing a name), in order; empty for none. */
    public java.util.List<String> formFields(String name) throws IOException {
        String first = formField(name); // reads and parses the form once
        if (upload != null) {
            return first == null ? java.util.List.of() : java.util.List.of(first);
        }
        java.util.List<String> values = form == null ? null : form.getValues(name);
        return values == null ? java.util.List.of() : java.util.List.copyOf(values);
    }

    /** The declared Content-Length, or -1 when the body is chunked or absent. */
    public long contentLength() {
        return request.getLength();
    }

    /** The request body; reading it to its end is noted (see {@link #closeIfBodyUnread()}). */
    public InputStream body() {
        return new java.io.FilterInputStream(Content.Source.asInputStream(request)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    bodyFullyRead = true;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    bodyFullyRead = true;
                }
                return n;
            }
        };
    }

    /**
     * Before a response to a request whose body was not read to its end (an early 423, 409 or 400):
     * a body of at most {@link #DRAIN_LIMIT} bytes is read and dropped first, so the client, which may
     * still be sending, gets the answer instead of a reset connection, and the connection stays
     * usable. A larger body closes the connection and says so, so keep-alive clients never reuse a
     * connection with body bytes in it.
     */
    private void closeIfBodyUnread() {
        if (!hasBody() || bodyFullyRead) {
            return;
        }
        if (request.getLength() <= DRAIN_LIMIT && drained()) {
            return;
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    /** Reads and drops what is left of the body, up to {@link #DRAIN_LIMIT} bytes; true when it ended. */
    private boolean drained() {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > DRAIN_LIMIT) {
                    return false;
                }
            }
            bodyFullyRead = true;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads a small body whole; over {@code max} bytes is a {@link RequestTooLargeException}. */
    public byte[] readSmallBody(int max, String what) throws IOException {
        if (contentLength() > max) {
            throw new RequestTooLargeException(what, max);
        }
        try (InputStream in = body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length <= max && in.read() < 0) {
                bodyFullyRead = true;
            }
            if (bytes.length > max) {
                throw new RequestTooLargeException(what, max);
            }
            return bytes;
        }
    }

    boolean isCommitted() {
        return response.isCommitted();
    }

    public void header(HttpHeader name, String value) {
        response.getHeaders().put(name, value);
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** 303 See Other to {@code location} (a path on this server). */
    public void redirect(String location) throws IOException {
        response.getHeaders().put(HttpHeader.LOCATION, location);
        sendEmpty(303);
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        closeIfBodyUnread();
        this.status = status;
        this.bytesSent += body.length;
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        Content.Sink.write(response, true, ByteBuffer.wrap(body));
    }

    public void sendText(int status, String text) throws IOException {
        send(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendJson(int status, ObjectMapper mapper, Object value) throws IOException {
        send(status, JSON, mapper.writeValueAsBytes(value));
    }

    public void sendEmpty(int status) throws IOException {
        closeIfBodyUnread();
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        Content.Sink.write(response, true, ByteBuffer.allocate(0));
    }

    /**
     * Starts a response of unknown length that the caller writes and flushes piece by piece (a
     * Server-Sent Events stream): no Content-Length, not cached, not buffered by a proxy. Closing
     * the stream ends the response.
     */
    public OutputStream openStream(int status, String contentType) {
        closeIfBodyUnread();
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
        return Content.Sink.asOutputStream(response);
    }

    /** Streams {@code content} (closing it) as the response body. */
    public void stream(int status, String contentType, long length, InputStream content) throws IOException {
        closeIfBodyUnread();
        try (InputStream in = content) {
            // The first bytes are read before anything is sent: a failure there (a stored blob that fails
            // its integrity check, a missing blob) is still answered as an error on a connection that
            // stays usable, instead of a started response cut off (which a client may only retry for a GET).
            byte[] first = new byte[(int) Math.clamp(length, 0, FIRST_READ_BYTES)];
            int n;
            try {
                n = in.readNBytes(first, 0, first.length);
            } catch (IOException e) {
                // the stored state could not be read (a disk or bucket error): the server's fault, retried
                throw new dev.statefort.core.spi.StoreUnavailableException("cannot read the stored state", e);
            }
            this.status = status;
            this.bytesSent += length;
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(first, 0, n);
                in.transferTo(out);
            }
        }
    }

    /** What {@link #stream} reads before it starts the response: one 64 KiB segment of a stored blob. */
    private static final int FIRST_READ_BYTES = 64 * 1024;
}
