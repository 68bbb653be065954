package dev.statefort.store.s3;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real S3 API server that implements bucket versioning, which s3proxy does not (it answers 501
 * NotImplemented to ListObjectVersions and to any {@code versionId}): moto's {@code moto_server}
 * (the Python package {@code moto}, which the project's machine image ships), started on a free
 * loopback port, stopped by its PID.
 *
 * <p>{@link #find()} is empty when {@code moto_server} is not on the PATH: the tests that need it
 * are then skipped, unless {@code STATEFORT_REQUIRE_MOTO=1}, which makes that a failure.
 */
final class MotoServer implements AutoCloseable {
    static final String REQUIRE_VARIABLE = "STATEFORT_REQUIRE_MOTO";
    static final String INSTALL = "pip install 'moto[server]'";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The {@code moto_server} executable on the PATH, if any. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "moto_server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static MotoServer start(Path executable) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("statefort-moto-", ".log");
        Process process = new ProcessBuilder(
                        List.of(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        MotoServer server = new MotoServer(process, port, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        String output = Files.readString(log);
        server.close();
        throw new IllegalStateException("moto_server did not start on port " + port + ":\n" + output);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Settings for a new bucket (created at open) on this server; moto takes any credentials. */
    S3Settings freshBucket() {
        return S3Settings.of("moto-bucket-" + BUCKETS.incrementAndGet())
                .withEndpoint(endpoint(), "us-east-1", "moto-test-key", "moto-test-secret")
                .withCreate(true);
    }

    @Override
    public void close() throws IOException {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> children = handle.descendants().toList();
        handle.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        Files.deleteIfExists(log);
    }
}
