package dev.statefort.it.cluster;

import dev.statefort.it.support.Requirement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real load balancer in front of the nodes: Debian's HAProxy, round-robin, health-checking each
 * node's {@code /readyz} every 200 ms, and sending a request whose connection a node refuses to
 * another node ({@code option redispatch}), as a production balancer is set up.
 */
final class Haproxy implements AutoCloseable {
    static final String MISSING = "haproxy is not installed (apt-get install haproxy)";

    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private Haproxy(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Whether haproxy is installed; without it the cluster tests skip, or fail with {@code STATEFORT_REQUIRE_HAPROXY=1}. */
    static Requirement requirement(String suite) {
        return new Requirement() {
            private boolean found;

            @Override
            public boolean isMet() {
                found = executable().isPresent();
                if (!found) {
                    System.out.println("[statefort-it] WARNING: " + skipReason(suite));
                }
                return found;
            }

            @Override
            public void require() {
                if (found) {
                    return;
                }
                if ("1".equals(System.getenv("STATEFORT_REQUIRE_HAPROXY"))) {
                    Assertions.fail("STATEFORT_REQUIRE_HAPROXY=1 but " + MISSING);
                }
                Assumptions.abort(skipReason(suite));
            }
        };
    }

    private static String skipReason(String suite) {
        return MISSING + ": the " + suite
                + " tests are SKIPPED (set STATEFORT_REQUIRE_HAPROXY=1 to make this a failure)";
    }

    static Optional<Path> executable() {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin")) {
            Path p = Paths.get(dir, "haproxy");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts haproxy on {@code port} in front of the nodes listening on {@code nodePorts} (127.0.0.1). */
    static Haproxy start(Path dir, int port, List<Integer> nodePorts) throws IOException, InterruptedException {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < nodePorts.size(); i++) {
            servers.append("    server node")
                    .append(i + 1)
                    .append(" 127.0.0.1:")
                    .append(nodePorts.get(i))
                    .append(" check\n");
        }
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                    maxconn 512
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 120s
                    timeout server 120s
                    retries 3
                    option redispatch
                frontend statefort
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk GET /readyz
                    http-check expect status 200
                    default-server inter 200ms fall 1 rise 2
                %s""".formatted(port, servers));
        Haproxy haproxy = new Haproxy(config, dir.resolve("haproxy.log"), port);
        haproxy.start();
        return haproxy;
    }

    private void start() throws IOException, InterruptedException {
        Path executable = executable().orElseThrow(() -> new IllegalStateException(MISSING));
        process = new ProcessBuilder(executable.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("haproxy is not listening on " + port + ": " + Files.readString(log));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
