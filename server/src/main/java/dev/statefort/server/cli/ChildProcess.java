package dev.statefort.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * Runs {@code statefort run}'s commands one at a time with their output streamed, and forwards each
 * SIGINT and SIGTERM {@code statefort run} receives to the running one, once: the child runs in its
 * own session (through {@code setsid} when there is one), so a terminal's Ctrl-C reaches it only
 * through Statefort and Terraform never sees one interrupt twice (a second one makes it exit at
 * once, without releasing its lock). A signal that comes before a command starts is delivered to it
 * when it starts, or keeps the next command from starting. The handlers are installed when this is
 * made: make it before anything that must be undone.
 */
final class ChildProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** The caller's own credential and the server's secrets stay out of the command's environment. */
    private static final String KEPT = "STATEFORT_URL";

    private final Path dir;
    private final Object lock = new Object();
    private Process current;
    private String pending;
    private boolean interrupted;

    ChildProcess(Path dir) {
        this.dir = dir;
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> forward(signal.getName()));
        }
    }

    /** Whether a signal came: nothing more should start. */
    boolean interrupted() {
        synchronized (lock) {
            return interrupted;
        }
    }

    /**
     * Runs {@code command} with {@code env} added to an environment without any {@code STATEFORT_*}
     * variable (but {@code STATEFORT_URL}); returns its exit code, or 130 without running it after a
     * signal.
     */
    int run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        if (interrupted()) {
            return 130;
        }
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        argv.addAll(command);
        ProcessBuilder builder =
                new ProcessBuilder(argv).directory(dir.toFile()).inheritIO();
        builder.environment().keySet().removeIf(name -> name.startsWith("STATEFORT_") && !name.equals(KEPT));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        String missed;
        synchronized (lock) {
            current = process;
            missed = pending;
            pending = null;
        }
        if (missed != null) {
            send(process, missed);
        }
        try {
            return process.waitFor();
        } finally {
            synchronized (lock) {
                current = null;
            }
        }
    }

    private void forward(String signal) {
        Process process;
        synchronized (lock) {
            interrupted = true;
            process = current;
            if (process == null) {
                pending = signal;
                return;
            }
        }
        send(process, signal);
    }

    private static void send(Process process, String signal) {
        if (!process.isAlive()) {
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
