package dev.statefort.server.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (a tmpfs mounted by the test, which needs root), for filling a data
 * directory's disk. Where it cannot be mounted the test skips with the reason, unless {@code
 * STATEFORT_REQUIRE_FILESYSTEM=1} (set by {@code .ci/run}) makes that a failure.
 */
final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code mountPoint} (created if missing). */
    static SmallFileSystem mount(Path mountPoint, int megabytes) throws Exception {
        Files.createDirectories(mountPoint);
        String failure =
                run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", mountPoint.toString());
        if (failure != null) {
            String reason = "cannot mount a small file system to fill (" + failure + "); the disk-full test needs"
                    + " root and tmpfs";
            if ("1".equals(System.getenv("STATEFORT_REQUIRE_FILESYSTEM"))) {
                Assertions.fail("STATEFORT_REQUIRE_FILESYSTEM=1 but " + reason);
            }
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        return new SmallFileSystem(mountPoint);
    }

    Path root() {
        return mountPoint;
    }

    /** Writes {@code file} until the file system refuses more; returns the bytes it took. */
    long fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try (var out = Files.newOutputStream(file)) {
            while (written < (1L << 34)) {
                out.write(chunk);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", mountPoint.toString());
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30 s";
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
    }
}
