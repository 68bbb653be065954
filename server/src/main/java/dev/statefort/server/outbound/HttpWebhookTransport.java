package dev.statefort.server.outbound;

import dev.statefort.core.event.WebhookTargets;
import dev.statefort.core.event.WebhookTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Webhook deliveries over HTTP(S) with Apache HttpClient: its DNS resolver hook hands the client only
 * addresses {@link WebhookTargets} accepts, so the address checked is the address connected to (no
 * DNS rebinding in between). No redirects, no retries of its own, no proxy, no cookies; 5 s to
 * connect, 10 s between bytes of the answer, 20 s for the whole exchange, at most {@value
 * #MAX_ANSWER_BYTES} bytes of the answer read (the rest is not drained: the connection is dropped).
 */
public final class HttpWebhookTransport implements WebhookTransport, AutoCloseable {
    static final int MAX_ANSWER_BYTES = 4096;
    private static final Timeout CONNECT = Timeout.ofSeconds(5);
    private static final Timeout ANSWER = Timeout.ofSeconds(10);
    /** The most one delivery may take, connection and answer together: less than a claim lasts. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final CloseableHttpClient client;
    private final Duration deadline;

    public HttpWebhookTransport(WebhookTargets targets) {
        this(targets, DEADLINE);
    }

    /** With another deadline for the whole exchange (tests). */
    HttpWebhookTransport(WebhookTargets targets, Duration deadline) {
        this.deadline = deadline;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new VettingResolver(targets))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(CONNECT)
                                .setSocketTimeout(ANSWER)
                                .build())
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(4)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(ANSWER)
                        .setResponseTimeout(ANSWER)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    @Override
    public int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        // the whole exchange, however the receiver drips its answer, ends by the deadline
        ScheduledFuture<?> timer = TIMER.schedule(() -> post.cancel(), deadline.toMillis(), TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response =
                client.executeOpen(org.apache.hc.core5.http.HttpHost.create(url), post, null)) {
            int status = response.getCode();
            if (response.getEntity() != null) {
                try (InputStream in = response.getEntity().getContent()) {
                    in.readNBytes(MAX_ANSWER_BYTES); // at most this much of the answer is read
                    post.cancel(); // the rest is not drained: the connection is dropped instead
                } catch (IOException | RuntimeException afterTheStatus) {
                    // the status is what counts; the rest of the answer is not read
                }
            }
            return status;
        } catch (IOException e) {
            Throwable cause = e;
            while (cause != null) {
                if (cause instanceof RefusedHost refused) {
                    throw new WebhookTargets.Refused(refused.getMessage());
                }
                cause = cause.getCause();
            }
            if (post.isCancelled()) {
                throw new java.net.SocketTimeoutException("no answer within " + deadline.toMillis() + " ms");
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** A host whose addresses are refused (the only way a resolver may say no). */
    static final class RefusedHost extends UnknownHostException {
        RefusedHost(String message) {
            super(message);
        }
    }

    /** Resolves with the system resolver, then keeps only what {@link WebhookTargets#vet} accepts. */
    private record VettingResolver(WebhookTargets targets) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            InetAddress[] all = InetAddress.getAllByName(name);
            try {
                return targets.vet(name, all);
            } catch (WebhookTargets.Refused refused) {
                throw new RefusedHost(refused.getMessage());
            }
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return host; // never used to connect (no SPNEGO); the name as given
        }
    }
}
