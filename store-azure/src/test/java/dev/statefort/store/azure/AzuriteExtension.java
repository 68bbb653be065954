package dev.statefort.store.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real Azurite (the Azure Storage emulator, an npm package pinned in store-azure/package.json)
 * for one test class: started before the class on a free loopback port with in-memory storage, and
 * stopped by its PID after the class.
 *
 * <p>When Azurite is not installed ({@code node_modules/.bin/azurite-blob} or {@code node}
 * missing) every test of the class is skipped with a message saying how to install it, unless the
 * environment variable {@code STATEFORT_REQUIRE_AZURITE=1} is set (as in CI): then the class fails.
 */
final class AzuriteExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String ACCOUNT = "devstoreaccount1";

    /** Azurite's well-known development account key (public, documented by Microsoft). */
    static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    static final String INSTALL = "npm ci --prefix store-azure";
    static final String REQUIRE_VARIABLE = "STATEFORT_REQUIRE_AZURITE";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private String missing;
    private Process process;
    private Thread shutdownHook;
    private Path workDir;
    private int port;
    private BlobServiceClient admin;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        missing = findMissing().orElse(null);
        if (missing != null) {
            String notInstalled = "Azurite is not installed (" + missing + "). Install it with `" + INSTALL
                    + "` from the repository root (needs Node.js 20).";
            if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
                throw new IllegalStateException(REQUIRE_VARIABLE + "=1 and " + notInstalled);
            }
            missing = notInstalled + " The Azure blob store tests of " + context.getDisplayName() + " are skipped; set "
                    + REQUIRE_VARIABLE + "=1 to make this a failure.";
            printVisibly("[WARNING] " + missing);
            return;
        }
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The blob endpoint of the dev account: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/" + ACCOUNT);
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + endpoint() + ";";
    }

    /** Settings for the dev account on this Azurite, with its key. */
    AzureSettings settings(String container) {
        return AzureSettings.of(ACCOUNT, container).withEndpoint(endpoint()).withAccountKey(KEY);
    }

    /** A raw SDK client on the dev account, to look at what the store wrote. */
    synchronized BlobServiceClient admin() {
        if (admin == null) {
            admin = new BlobServiceClientBuilder()
                    .connectionString(connectionString())
                    .httpClient(new JdkHttpClientBuilder().build())
                    .buildClient();
        }
        return admin;
    }

    // ---- installation ---------------------------------------------------------------------

    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    private static Path azuriteBin() {
        return moduleDir().resolve("node_modules/.bin/azurite-blob");
    }

    private static Optional<String> findMissing() {
        if (!Files.exists(azuriteBin())) {
            return Optional.of(azuriteBin() + " not found");
        }
        if (findNode().isEmpty()) {
            return Optional.of("no node executable on the PATH");
        }
        return Optional.empty();
    }

    private static Optional<Path> findNode() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Surefire sends the tests' output to a report file; this goes to the build's console too (the
     * forked JVM's native stderr, which surefire echoes).
     */
    @SuppressWarnings("resource") // never close the process's stderr
    private static void printVisibly(String message) {
        System.err.println(message);
        PrintStream nativeErr =
                new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        nativeErr.println(message);
    }

    // ---- process --------------------------------------------------------------------------

    private void start() throws IOException, InterruptedException {
        Path node = findNode().orElseThrow();
        Path script = azuriteBin().toRealPath();
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= 3; attempt++) {
            workDir = Files.createTempDirectory("statefort-azurite-");
            Path log = workDir.resolve("azurite.log");
            port = freePort();
            List<String> command = List.of(
                    node.toString(),
                    script.toString(),
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    Integer.toString(port),
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent");
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Process started = process;
            shutdownHook = new Thread(() -> kill(started), "stop-azurite");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            if (awaitPort()) {
                return;
            }
            failures.append("attempt ")
                    .append(attempt)
                    .append(" on port ")
                    .append(port)
                    .append(":\n")
                    .append(Files.readString(log))
                    .append('\n');
            stop();
        }
        throw new IllegalStateException("Azurite did not start:\n" + failures);
    }

    private boolean awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return process.isAlive();
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void stop() {
        if (process != null) {
            kill(process);
            process = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            shutdownHook = null;
        }
        if (workDir != null) {
            deleteRecursively(workDir);
            workDir = null;
        }
        admin = null;
    }

    /** Stops the process by its PID: SIGTERM, then SIGKILL if it has not exited in time. */
    private static void kill(Process process) {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> children = handle.descendants().toList();
        handle.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir: left to the OS
        }
    }
}
