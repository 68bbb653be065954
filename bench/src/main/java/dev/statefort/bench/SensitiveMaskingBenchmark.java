package dev.statefort.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.insight.ResourceInstance;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.testing.WorstCaseStates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 10 point 4: one resource instance with N attributes, all N of them listed in {@code
 * sensitive_attributes} (20,000 of each is 1.2 MB; 100,000 is 6 MB). Measured the way the resources
 * endpoint works (parse the state, mask every instance's attributes) and the way a diff against a
 * copy with every value changed works (parse both, compare, mask the changed paths). Baseline in the
 * same run: Jackson reading the same bytes into a tree. Before the fix the 20k case took about 12 s
 * per request and the 100k case hours (every leaf compared against every sensitive path). Issue 25:
 * the same with values chosen to collide in Jackson's number hashes ({@code values=colliding}), which
 * made masking quadratic again while it kept the values in a hash set of nodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SensitiveMaskingBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"20000", "100000"})
    public int attributes;

    /**
     * {@code distinct}: N sensitive attributes with distinct string values (issue 10). {@code
     * colliding}: N sensitive numbers that all hash to 0 as Jackson nodes, plus their unmarked copies
     * and N other colliding numbers (issue 25, {@link WorstCaseStates#collidingNumbers}).
     */
    @Param({"distinct", "colliding"})
    public String values;

    private byte[] state;
    private byte[] changed;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        state = values.equals("colliding")
                ? WorstCaseStates.collidingNumbers(attributes)
                : quadraticCase(attributes, "v");
        changed = values.equals("colliding") ? collidingChanged(state) : quadraticCase(attributes, "w");
        System.out.printf("%n%d attributes and sensitive paths: %,d bytes%n", attributes, state.length);
    }

    /** The colliding state with every number one higher (each still hashes to a value shared by all). */
    private static byte[] collidingChanged(byte[] state) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(state);
        ObjectNode attributes = (ObjectNode)
                root.path("resources").path(0).path("instances").path(0).path("attributes");
        for (String name : new String[] {"secret", "copy", "open"}) {
            ArrayNode list = (ArrayNode) attributes.path(name);
            for (int i = 0; i < list.size(); i++) {
                list.set(i, list.get(i).asLong() + 1);
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** One instance whose N attributes are all sensitive, each also listed as a sensitive path. */
    static byte[] quadraticCase(int n, String valuePrefix) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 4).put("serial", 1).put("lineage", "bench");
        ObjectNode resource = root.putArray("resources").addObject();
        resource.put("mode", "managed").put("type", "terraform_data").put("name", "quad");
        ObjectNode instance = resource.putArray("instances").addObject();
        ObjectNode attributes = instance.putObject("attributes");
        ArrayNode sensitive = instance.putArray("sensitive_attributes");
        for (int i = 0; i < n; i++) {
            String name = "attr_" + i;
            attributes.put(name, valuePrefix + i);
            sensitive.addArray().addObject().put("type", "get_attr").put("value", name);
        }
        return JSON.writeValueAsBytes(root);
    }

    @Benchmark
    public void resourcesEndpoint(Blackhole bh) throws IOException {
        StateDocument doc = StateDocument.parse(new ByteArrayInputStream(state)).orElseThrow();
        for (ResourceInstance r : doc.resources()) {
            bh.consume(r.maskedAttributes());
        }
    }

    @Benchmark
    public StateDiff.Result diffEveryValueChanged() throws IOException {
        StateDocument a = StateDocument.parse(new ByteArrayInputStream(state)).orElseThrow();
        StateDocument b = StateDocument.parse(new ByteArrayInputStream(changed)).orElseThrow();
        return StateDiff.between(a, b);
    }

    @Benchmark
    public JsonNode baselineJacksonReadTree() throws IOException {
        return JSON.readTree(state);
    }
}
