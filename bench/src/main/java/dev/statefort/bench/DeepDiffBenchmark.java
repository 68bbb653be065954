package dev.statefort.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.insight.AnalysisLimits;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.testing.WorstCaseStates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 25 finding 2: the diff of two versions whose attributes are arrays nested {@code depth} deep
 * with 30,000 numbers at the bottom, every one changed ({@link WorstCaseStates#deepArrays}; the
 * review's 1,900 deep is now refused at parse, so the deepest case here is just under the depth
 * limit). Measured as the diff API computes it ({@code StateDiff.between} of two parsed versions,
 * capped at 10,000 changes and 8 MiB); baseline in the same run: Jackson's {@code equals} of the two
 * attribute trees, one walk of both sides and the least any diff must do. Run it with {@code -prof gc}
 * for the bytes allocated per diff ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class DeepDiffBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"10", "190"})
    public int depth;

    private StateDocument before;
    private StateDocument after;
    private JsonNode beforeTree;
    private JsonNode afterTree;

    @Setup
    public void setUp() throws IOException {
        byte[] a = WorstCaseStates.deepArrays(depth, 30_000, 0, 1);
        byte[] b = WorstCaseStates.deepArrays(depth, 30_000, 1_000_000, 2);
        before = StateDocument.parse(new ByteArrayInputStream(a)).orElseThrow();
        after = StateDocument.parse(new ByteArrayInputStream(b)).orElseThrow();
        beforeTree = JSON.readTree(a);
        afterTree = JSON.readTree(b);
        StateDiff.Result diff = StateDiff.between(before, after, AnalysisLimits.of(Long.MAX_VALUE));
        System.out.printf(
                "%ndepth %d: %,d bytes a version, %,d changes listed, truncated %s%n",
                depth, a.length, diff.resourcesChanged().getFirst().changes().size(), diff.truncated());
    }

    @Benchmark
    public StateDiff.Result diff() {
        return StateDiff.between(before, after, AnalysisLimits.of(Long.MAX_VALUE));
    }

    @Benchmark
    public boolean baselineJacksonEquals() {
        return beforeTree.equals(afterTree);
    }
}
