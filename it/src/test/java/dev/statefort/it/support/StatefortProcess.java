package dev.statefort.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The runnable Statefort jar as a black-box child process: start, stop, {@code kill -9}, restart on the same data
 * dir and port. Stdout and stderr of every run are appended to files under {@code target/it-logs/}.
 */
public final class StatefortProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final List<String> jvmOptions;
    private final Path stdout;
    private final Path stderr;
    private final SSLContext tls;
    private final HttpClient probe;
    private Map<String, String> environment = Map.of();
    private Path configFile;
    private Process process;

    private StatefortProcess(
            Path dataDir, int port, List<String> jvmOptions, List<String> extraArgs, String logName, SSLContext tls) {
        this.jar = jar();
        this.tls = tls;
        this.probe = StatefortClient.http(tls);
        this.dataDir = dataDir;
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.extraArgs = List.copyOf(extraArgs);
        Path logs = Paths.get("target", "it-logs").toAbsolutePath();
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.stdout = logs.resolve(logName + "-" + port + ".out");
        this.stderr = logs.resolve(logName + "-" + port + ".err");
    }

    /** Starts a server on a free port with a fresh data dir below {@code parent}; waits until {@code /readyz} is 200. */
    public static StatefortProcess start(Path parent, String logName, String... extraArgs) {
        return start(parent, logName, List.of("-Xmx512m"), extraArgs);
    }

    /** As {@link #start(Path, String, String...)} with the given JVM options (e.g. a small {@code -Xmx}). */
    public static StatefortProcess start(Path parent, String logName, List<String> jvmOptions, String... extraArgs) {
        return start(parent, logName, jvmOptions, null, extraArgs);
    }

    /**
     * As {@link #start(Path, String, String...)} with these {@code STATEFORT_*} variables set for the
     * server (and its {@link #cli} commands), e.g. {@link #BLOBS_READ_FROM_STORE}.
     */
    public static StatefortProcess startWithEnvironment(
            Path parent, String logName, Map<String, String> environment, String... extraArgs) {
        try {
            Path dataDir = Files.createDirectories(parent.resolve("data"));
            StatefortProcess server = new StatefortProcess(
                    dataDir, freePort(), List.of("-Xmx512m"), Arrays.asList(extraArgs), logName, null);
            server.environment = Map.copyOf(environment);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every state's blob in the blob store, small ones too (by default a small state is kept in the
     * database), and every read decoded from it (no read cache: by default a node keeps what it wrote):
     * for tests that look at, alter or remove blob files.
     */
    public static final Map<String, String> BLOBS_READ_FROM_STORE =
            Map.of("STATEFORT_SMALL_STATE_MAX_SIZE", "0", "STATEFORT_READ_CACHE_SIZE", "0");

    /**
     * As {@link #start(Path, String, String...)} for a server started with {@code --tls-cert} and
     * {@code --tls-key} in {@code extraArgs}; {@code tls} trusts its certificate.
     */
    public static StatefortProcess startHttps(Path parent, String logName, SSLContext tls, String... extraArgs) {
        return start(parent, logName, List.of("-Xmx512m"), tls, extraArgs);
    }

    private static StatefortProcess start(
            Path parent, String logName, List<String> jvmOptions, SSLContext tls, String... extraArgs) {
        try {
            Path dataDir = Files.createDirectories(parent.resolve("data"));
            StatefortProcess server =
                    new StatefortProcess(dataDir, freePort(), jvmOptions, Arrays.asList(extraArgs), logName, tls);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server started with {@code --config configFile} and these {@code STATEFORT_*} variables (storage
     * secrets, say); every {@link #cli} command of it gets both too, as an operator's would.
     */
    public static StatefortProcess startConfigured(
            Path parent, String logName, Map<String, String> environment, Path configFile) {
        try {
            Path dataDir = Files.createDirectories(parent.resolve("data"));
            StatefortProcess server =
                    new StatefortProcess(dataDir, freePort(), List.of("-Xmx512m"), List.of(), logName, null);
            server.environment = Map.copyOf(environment);
            server.configFile = configFile;
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runnable jar, as passed by surefire ({@code statefort.jar}). */
    public static Path jar() {
        String path = System.getProperty("statefort.jar");
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("system property statefort.jar is not set (run through Maven surefire)");
        }
        Path jar = Paths.get(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("runnable jar not found at " + jar + "; build the server module first");
        }
        return jar;
    }

    /** The java launcher of the running test JVM. */
    public static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port for a server the tests start: free on 127.0.0.1 and outside the kernel's ephemeral range ({@link TestPorts}). */
    public static int freePort() throws IOException {
        return TestPorts.next();
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server already running, pid " + process.pid());
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--data-dir",
                dataDir.toString()));
        command.addAll(extraArgs);
        command.addAll(configArgs());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        // The server must not pick up settings of whoever runs the tests.
        builder.environment().keySet().removeIf(name -> name.startsWith("STATEFORT_"));
        // Protocol tests send many bad credentials on purpose; the throttle has its own tests.
        builder.environment().put("STATEFORT_AUTH_FAILURE_LIMIT", "1000");
        // No load balancer to tell (the multi-node tests set their own): stop at once.
        builder.environment().put("STATEFORT_SHUTDOWN_DRAIN", "0s");
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "server exited with code " + process.exitValue() + " before it was ready\n" + logTail());
            }
            try {
                HttpResponse<Void> response = probe.send(
                        HttpRequest.newBuilder(uri("/readyz"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(100);
        }
        kill9();
        throw new IllegalStateException("server not ready within " + START_TIMEOUT + "\n" + logTail());
    }

    /** Graceful stop (SIGTERM), then SIGKILL if it does not exit in time. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code kill -9}: Process.destroyForcibly sends SIGKILL on Linux. */
    public synchronized void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("server pid " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts again on the same data dir and port. */
    public void restart() {
        start();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /** The global admin token written on first start to {@code <data-dir>/initial-admin-token}. */
    public String adminToken() {
        Path file = dataDir.resolve("initial-admin-token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public StatefortClient client(String token) {
        return tls == null ? new StatefortClient(baseUrl(), token) : new StatefortClient(tls, baseUrl(), token);
    }

    public StatefortClient adminClient() {
        return client(adminToken());
    }

    /** Runs the jar's CLI against this server's data dir: {@code java -jar statefort.jar ARGS --data-dir D}. */
    public CliResult cli(String... args) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        command.add("--data-dir");
        command.add(dataDir.toString());
        command.addAll(configArgs());
        return environment.isEmpty()
                ? CliResult.run(command, Duration.ofSeconds(90))
                : CliResult.run(command, Duration.ofSeconds(90), environment, null);
    }

    private List<String> configArgs() {
        return configFile == null ? List.of() : List.of("--config", configFile.toString());
    }

    /**
     * As {@link #cli(String...)} with {@code environment} set for the command, and with stdout written byte for
     * byte to {@code stdoutFile} when it is not null.
     */
    public CliResult cli(java.util.Map<String, String> environment, Path stdoutFile, String... args) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        command.add("--data-dir");
        command.add(dataDir.toString());
        return CliResult.run(command, Duration.ofSeconds(120), environment, stdoutFile);
    }

    /** The master key file generated on first start: next to the data dir, {@code <data-dir>.master.key}. */
    public Path defaultMasterKeyFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".master.key");
    }

    /** Everything the server logged to stderr so far (all runs on this port). */
    public String stderrText() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void createProject(String name) {
        cli("project", "create", name).requireSuccess();
    }

    /** Creates a token with the CLI and returns it (the last line of stdout). */
    public String createToken(String project, String permission, String name) {
        return lastLineToken(cli("token", "create", "--project", project, "--permission", permission, "--name", name));
    }

    /** As {@link #createToken(String, String, String)} for a token valid for one state only ({@code --state}). */
    public String createStateToken(String project, String state, String permission, String name) {
        return lastLineToken(cli(
                "token", "create", "--project", project, "--state", state, "--permission", permission, "--name", name));
    }

    private static String lastLineToken(CliResult result) {
        result.requireSuccess();
        String[] lines = result.stdout().strip().split("\\R");
        String token = lines[lines.length - 1].strip();
        if (!token.startsWith("sft_")) {
            throw new IllegalStateException("token create printed no token on its last line:\n" + result);
        }
        return token;
    }

    /** Everything the server printed to stdout so far (all runs on this port). */
    public String stdoutText() {
        try {
            return Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail() {
        return "--- stdout (" + stdout + ") ---\n" + tail(stdout) + "\n--- stderr (" + stderr + ") ---\n"
                + tail(stderr);
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
