package dev.statefort.it.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3-compatible server for the black-box tests: s3proxy in the test JVM on 127.0.0.1, its
 * objects as files below a directory, so it can be stopped and started again on the same port with
 * the same objects (an outage and its end).
 */
public final class S3Server implements AutoCloseable {
    public static final String IDENTITY = "statefort-it";
    public static final String CREDENTIAL = "statefort-it-secret-0123456789";

    private final Path dir;
    private final int port;
    private S3Proxy proxy;

    public S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public void start() throws Exception {
        Files.createDirectories(dir);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
    }

    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the bucket's objects are, as files. */
    public Path objects(String bucket) {
        return dir.resolve(bucket);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
