package dev.statefort.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exit code and output of a finished child process. */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr) {

    public static CliResult run(List<String> command, Duration timeout) {
        return run(command, timeout, java.util.Map.of(), null);
    }

    /**
     * Runs {@code command} with {@code environment} added (every inherited {@code STATEFORT_*} variable removed
     * first); with {@code stdoutFile} set, stdout goes there byte for byte and {@link #stdout()} is empty.
     */
    public static CliResult run(
            List<String> command, Duration timeout, java.util.Map<String, String> environment, Path stdoutFile) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("statefort-cli", ".out");
            err = Files.createTempFile("statefort-cli", ".err");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("STATEFORT_"));
            builder.environment().putAll(environment);
            Process process = builder.redirectOutput((stdoutFile != null ? stdoutFile : out).toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeout + ": " + command);
            }
            return new CliResult(
                    command,
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    public CliResult requireSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("command failed: " + this);
        }
        return this;
    }

    public String output() {
        return stdout + stderr;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n"
                + stderr;
    }
}
