package dev.statefort.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What one durable commit costs on a directory's file system at least: append 4 KiB to a file and
 * {@code fsync} it, 200 times (bounded), printing the median and the 90th percentile. A cycle of
 * {@code bench/load/run.sh} makes three durable commits, so three times the median is the floor of
 * its single-client latency on that disk.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.statefort.bench.load.FsyncProbe DIR</pre>
 */
public final class FsyncProbe {
    private static final int SYNCS = 200;

    private FsyncProbe() {}

    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile(Path.of(args[0]), "fsync-probe", ".bin");
        long[] nanos = new long[SYNCS];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            for (int i = 0; i < SYNCS; i++) {
                page.clear();
                long start = System.nanoTime();
                channel.write(page);
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(nanos);
        System.out.printf(
                "fsync of 4 KiB appended: p50-ms=%.2f p90-ms=%.2f (%d syncs)%n",
                nanos[SYNCS / 2] / 1e6, nanos[SYNCS * 9 / 10] / 1e6, SYNCS);
    }
}
