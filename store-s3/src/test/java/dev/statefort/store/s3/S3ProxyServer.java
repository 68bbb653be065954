package dev.statefort.store.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/** A real S3-compatible server for tests: s3proxy on 127.0.0.1 (any free port) over an in-memory store, with V4 signing. */
final class S3ProxyServer implements AutoCloseable {
    static final String IDENTITY = "statefort-test";
    static final String CREDENTIAL = "statefort-test-secret-0123456789";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;

    private S3ProxyServer(S3Proxy proxy) {
        this.proxy = proxy;
    }

    static S3ProxyServer start() throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        return new S3ProxyServer(proxy);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Settings for a new bucket (created at open) on this server. */
    S3Settings freshBucket() {
        return S3Settings.of("bucket-" + BUCKETS.incrementAndGet())
                .withEndpoint(endpoint(), "us-east-1", IDENTITY, CREDENTIAL)
                .withCreate(true);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
