package dev.statefort.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * Runs {@code statefort run}'s commands one at a time with their output streamed, and forwards
 * SIGINT and SIGTERM to the running one exactly once: the child runs in its own session (through
 * {@code setsid} when there is one), so a terminal's Ctrl-C reaches it only through Statefort and
 * Terraform never sees two interrupts (which would make it exit without releasing its lock).
 */
final class ChildProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path dir;
    private final Map<String, String> env;
    private volatile Process current;
    private volatile boolean interrupted;

    ChildProcess(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> forward(signal.getName()));
        }
    }

    /** Runs {@code command} and returns its exit code (130 without running it after an interrupt). */
    int run(List<String> command) throws IOException, InterruptedException {
        if (interrupted) {
            return 130;
        }
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        argv.addAll(command);
        ProcessBuilder builder =
                new ProcessBuilder(argv).directory(dir.toFile()).inheritIO();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        current = process;
        try {
            return process.waitFor();
        } finally {
            current = null;
        }
    }

    private void forward(String signal) {
        interrupted = true;
        Process process = current;
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            process.destroy(); // SIGTERM, which Terraform handles as an interrupt too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
