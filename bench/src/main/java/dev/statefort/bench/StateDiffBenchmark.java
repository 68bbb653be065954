package dev.statefort.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 4: the diff API on a pair of ~10 MB Terraform states (a few thousand resources each; the
 * second with resources added, removed and changed), measured as the API does it: parse both
 * documents ({@link StateDocument#parse}) and compare ({@link StateDiff#between}). Baselines in the
 * same run: Jackson reading both into trees, and SHA-256 of both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StateDiffBenchmark {
    static final int RESOURCES = 7_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private byte[] before;
    private byte[] after;

    @Setup(Level.Trial)
    public void setUp() {
        TerraformStateGenerator generator = new TerraformStateGenerator(4);
        before = generator.resources(RESOURCES, TerraformStateGenerator.Variant.ORIGINAL);
        after = generator.resources(RESOURCES, TerraformStateGenerator.Variant.CHANGED);
        StateDiff.Result result = diff();
        System.out.printf(
                "%nstates of %d and %d bytes: %d added, %d removed, %d changed%n",
                before.length,
                after.length,
                result.resourcesAdded().size(),
                result.resourcesRemoved().size(),
                result.resourcesChanged().size());
        if (result.resourcesAdded().isEmpty()
                || result.resourcesRemoved().isEmpty()
                || result.resourcesChanged().isEmpty()) {
            throw new IllegalStateException("the pair must differ in added, removed and changed resources");
        }
    }

    @Benchmark
    public StateDiff.Result parseBothAndDiff() {
        return diff();
    }

    @Benchmark
    public void baselineJacksonTreesOfBoth(Blackhole sink) throws IOException {
        JsonNode a = JSON.readTree(before);
        JsonNode b = JSON.readTree(after);
        sink.consume(a);
        sink.consume(b);
    }

    @Benchmark
    public void baselineSha256OfBoth(Blackhole sink) throws NoSuchAlgorithmException {
        sink.consume(MessageDigest.getInstance("SHA-256").digest(before));
        sink.consume(MessageDigest.getInstance("SHA-256").digest(after));
    }

    private StateDiff.Result diff() {
        try {
            StateDocument a =
                    StateDocument.parse(new ByteArrayInputStream(before)).orElseThrow();
            StateDocument b =
                    StateDocument.parse(new ByteArrayInputStream(after)).orElseThrow();
            return StateDiff.between(a, b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
