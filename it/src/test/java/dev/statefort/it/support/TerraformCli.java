package dev.statefort.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs the real {@code terraform} binary in one working directory with a clean, offline environment: no inherited
 * {@code TF_*} variables, an empty CLI config and an empty plugin cache, automation mode, no input, no checkpoint.
 */
public final class TerraformCli {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path executable;
    private final Path workDir;
    private final Map<String, String> env;
    private final Path logDir;

    public TerraformCli(Path executable, Path workDir, Map<String, String> extraEnv) {
        this.executable = executable;
        this.workDir = workDir;
        try {
            Files.createDirectories(workDir);
            Path home = Files.createDirectories(workDir.resolve(".home"));
            Path pluginCache = Files.createDirectories(workDir.resolve(".plugin-cache"));
            Path cliConfig = workDir.resolve(".home/terraformrc");
            Files.writeString(cliConfig, "# empty: no credentials, no mirrors\n");
            this.logDir = Files.createDirectories(workDir.resolve(".logs"));
            Map<String, String> base = new HashMap<>();
            base.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"));
            base.put("HOME", home.toString());
            base.put("TF_IN_AUTOMATION", "1");
            base.put("TF_INPUT", "0");
            base.put("CHECKPOINT_DISABLE", "1");
            base.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
            base.put("TF_PLUGIN_CACHE_DIR", pluginCache.toString());
            base.put("NO_PROXY", "127.0.0.1,localhost");
            base.putAll(extraEnv);
            this.env = Map.copyOf(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code terraform} executable on PATH, if any. */
    public static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Paths.get(dir, "terraform");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path workDir() {
        return workDir;
    }

    public void writeFile(String name, String content) {
        try {
            Files.writeString(workDir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code backend.tf}: the {@code http} backend at {@code address} with its lock at
     * {@code <address>/lock} (credentials come from the environment, {@code TF_HTTP_*}).
     */
    public TerraformCli writeHttpBackend(String address) {
        writeFile("backend.tf", httpBackendBlock(address));
        return this;
    }

    /** The {@code terraform { backend "http" {...} }} block for {@code address}, lock at {@code <address>/lock}. */
    public static String httpBackendBlock(String address) {
        return """
                terraform {
                  backend "http" {
                    address        = "%1$s"
                    lock_address   = "%1$s/lock"
                    unlock_address = "%1$s/lock"
                  }
                }
                """.formatted(address);
    }

    /** {@code init}, then one {@code apply} per configuration written as {@code main.tf} in turn; each must succeed. */
    public void initAndApplyEach(String... configurations) {
        boolean initialised = false;
        for (String configuration : configurations) {
            writeFile("main.tf", configuration);
            if (!initialised) {
                run("init", "-no-color").requireSuccess();
                initialised = true;
            }
            run("apply", "-auto-approve", "-no-color").requireSuccess();
        }
    }

    /** Runs {@code terraform ARGS} to completion (SIGKILL after the timeout). */
    public Result run(Duration timeout, String... args) {
        Background background = start(args);
        return background.await(timeout);
    }

    public Result run(String... args) {
        return run(Duration.ofSeconds(120), args);
    }

    /** Starts {@code terraform ARGS} in the background; output goes to a file that can be polled. */
    public Background start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        int run = RUNS.incrementAndGet();
        String name = String.format("%03d-%s", run, args.length == 0 ? "terraform" : args[0]);
        Path output = logDir.resolve(name + ".out");
        Path errors = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return new Background(command, builder.start(), output, errors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A terraform run in progress. */
    public static final class Background implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        Background(List<String> command, Process process, Path stdout, Path stderr) {
            this.command = command;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** Stdout followed by stderr, as far as written. */
        public String output() {
            return read(stdout) + read(stderr);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Polls the output until it contains {@code text}; fails if the process ends first or time runs out. */
        public void awaitOutput(String text, Duration timeout) {
            awaitOutput(out -> out.contains(text), "output containing \"" + text + "\"", timeout);
        }

        public void awaitOutput(Predicate<String> condition, String description, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (condition.test(output())) {
                    return;
                }
                if (!process.isAlive()) {
                    if (condition.test(output())) {
                        return;
                    }
                    throw new AssertionError("terraform ended (exit " + process.exitValue() + ") before " + description
                            + "\n" + output());
                }
                StatefortProcess.pause(100);
            }
            throw new AssertionError("no " + description + " within " + timeout + "\n" + output());
        }

        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill9();
                    throw new AssertionError(
                            "terraform did not finish within " + timeout + ": " + command + "\n" + output());
                }
            } catch (InterruptedException e) {
                kill9();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Result(command, process.exitValue(), read(stdout), read(stderr));
        }

        /** SIGKILL terraform, then anything it started (provisioner shells, {@code sleep}). */
        public void kill9() {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill9();
            }
        }
    }

    /** A finished terraform run. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }

        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("terraform failed: " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }
}
