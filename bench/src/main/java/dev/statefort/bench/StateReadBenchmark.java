package dev.statefort.bench;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.QuarantineCap;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.state.DecodedVersions;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
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

/**
 * Issue 11 points 4 and 5: what a state GET costs in the service once the head version is known,
 * with the decoded-version cache on ({@code read-cache-size} default) and off (every read decrypts
 * and decompresses the blob, as before the cache), and the gzip form a client that accepts gzip
 * gets (compressed once per version). Same encrypted in-memory blob store, same run; report
 * {@code off / on} per size.
 *
 * <pre>java -jar bench/target/benchmarks.jar StateReadBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StateReadBenchmark {
    private static final StateKey KEY = new StateKey("bench", "state");
    private static final Principal BENCH = new Principal("bench", null, Permission.ADMIN);

    @Param({"10KiB", "1MiB"})
    public String size;

    @Param({"on", "off"})
    public String cache;

    private BenchStores stores;
    private StateService states;
    private final byte[] buffer = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stores = BenchStores.open("encrypted", "memory");
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject(KEY.project(), Instant.now());
        DecodedVersions decoded = cache.equals("on")
                ? new DecodedVersions(stores.measured(), 256L << 20)
                : DecodedVersions.off(stores.measured());
        Clock clock = Clock.systemUTC();
        AuditService audit = new AuditService(metadata, clock);
        states = new StateService(
                metadata,
                stores.measured(),
                200L << 20,
                0, // every version in the measured blob store
                clock,
                new SettingsService(metadata, clock),
                audit,
                new QuarantineCap(
                        metadata,
                        stores.measured(),
                        audit,
                        QuarantineCap.DEFAULT_MAX_COUNT,
                        QuarantineCap.DEFAULT_MAX_BYTES),
                decoded,
                dev.statefort.core.state.ConsumerReads.NONE);
        byte[] state = new TerraformStateGenerator(7).ofAtLeast(size.equals("1MiB") ? 1 << 20 : 10 << 10);
        states.write(WriteRequest.of(KEY, new ByteArrayInputStream(state), state.length, BENCH));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stores.close();
    }

    /** GET with identity encoding: the state's bytes, read to the end. */
    @Benchmark
    public long read() throws IOException {
        StoredState stored = states.read(BENCH, KEY).orElseThrow();
        long total = 0;
        try (InputStream in = stored.content()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /** GET with {@code Accept-Encoding: gzip}: the compressed form (only kept with the cache on). */
    @Benchmark
    public long readGzipped() {
        return states.readGzipped(BENCH, KEY)
                .map(g -> (long) g.gzipped().length)
                .orElse(-1L);
    }
}
