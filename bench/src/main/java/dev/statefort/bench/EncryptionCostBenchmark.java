package dev.statefort.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 3 point 6: what compression plus encryption costs per write and per read of a Terraform
 * state of 10 KiB, 1 MiB and 100 MiB, against the plaintext pass-through of {@code encryption=off}
 * over the same underlying blob store, in the same run. Report {@code encrypted / plaintext} per
 * size and operation.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EncryptionCostBenchmark                 # memory and files
 * java -jar bench/target/benchmarks.jar EncryptionCostBenchmark -p backend=memory
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EncryptionCostBenchmark {
    private static final String KEY = "bench/state/current";
    private static final String STORED = "bench/state/stored";

    @Param({"10KiB", "1MiB", "100MiB"})
    public String size;

    @Param({"encrypted", "plaintext"})
    public String mode;

    /** {@code memory}: the CPU cost alone; {@code files}: temp files fsynced like the embedded default. */
    @Param({"memory", "files"})
    public String backend;

    private BenchStores stores;
    private byte[] state;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        state = new TerraformStateGenerator(3).ofAtLeast(bytes(size));
        stores = BenchStores.open(mode, backend);
        stores.measured().put(STORED, new ByteArrayInputStream(state));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stores.close();
    }

    @Benchmark
    public long write() throws IOException {
        return stores.measured().put(KEY, new ByteArrayInputStream(state));
    }

    @Benchmark
    public long read(Blackhole sink) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = stores.measured().open(STORED)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sink.consume(buffer);
                total += n;
            }
        }
        if (total != state.length) {
            throw new IllegalStateException("read " + total + " bytes, wrote " + state.length);
        }
        return total;
    }

    static long bytes(String size) {
        return switch (size) {
            case "10KiB" -> 10L * 1024;
            case "1MiB" -> 1024L * 1024;
            case "100MiB" -> 100L * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown size " + size);
        };
    }
}
