package dev.statefort.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.insight.AnalysisLimits;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.testing.WorstCaseStates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
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
 * capped at 10,000 changes and 8 MiB). Baselines in the same run: Jackson's {@code equals} of an
 * attribute tree with an equal copy (one full walk of two trees, the least any diff must do), and
 * what the diff did before issue 25 first: flatten both sides whole into sorted maps of path to leaf.
 * Run it with {@code -prof gc} for the bytes allocated per operation ({@code gc.alloc.rate.norm}).
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
    private JsonNode beforeAttributes;
    private JsonNode beforeCopy;
    private JsonNode afterAttributes;

    @Setup
    public void setUp() throws IOException {
        byte[] a = WorstCaseStates.deepArrays(depth, 30_000, 0, 1);
        byte[] b = WorstCaseStates.deepArrays(depth, 30_000, 1_000_000, 2);
        before = StateDocument.parse(new ByteArrayInputStream(a)).orElseThrow();
        after = StateDocument.parse(new ByteArrayInputStream(b)).orElseThrow();
        beforeAttributes = attributes(a);
        beforeCopy = beforeAttributes.deepCopy();
        afterAttributes = attributes(b);
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
        return beforeAttributes.equals(beforeCopy);
    }

    @Benchmark
    public int baselineFlattenBothSides() {
        Map<String, JsonNode> before = new TreeMap<>();
        Map<String, JsonNode> after = new TreeMap<>();
        flatten("", beforeAttributes, before);
        flatten("", afterAttributes, after);
        return before.size() + after.size();
    }

    private static JsonNode attributes(byte[] state) throws IOException {
        return JSON.readTree(state)
                .path("resources")
                .path(0)
                .path("instances")
                .path(0)
                .path("attributes");
    }

    /** Every leaf by its whole path, as the diff built them before issue 25. */
    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (node.isObject() && !node.isEmpty()) {
            node.forEachEntry((name, value) -> flatten(prefix.isEmpty() ? name : prefix + "." + name, value, leaves));
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), leaves);
            }
        } else {
            leaves.put(prefix, node);
        }
    }
}
