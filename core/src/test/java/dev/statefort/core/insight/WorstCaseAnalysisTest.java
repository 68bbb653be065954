package dev.statefort.core.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.core.testing.WorstCaseStates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 25 findings 1 to 3, on the review's worst-case inputs ({@link WorstCaseStates}): masking
 * colliding numbers stays linear, a diff of deep versions is bounded and says it is truncated, a
 * state over the node or depth limit is "too large to analyse", and the parse cache weighs what its
 * entries really hold.
 */
class WorstCaseAnalysisTest {
    private static StateDocument parse(byte[] body) throws IOException {
        return StateDocument.parse(new ByteArrayInputStream(body)).orElseThrow();
    }

    /**
     * 200,000 numbers that all hash to 0 under a sensitive path: with a hash set of {@code JsonNode}s
     * each lookup scanned the whole bin (20,000 took 15 s; this many would take hours, so the timeout
     * only guards against a hang). Every sensitive value and its copy is masked, no other value is.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void collidingNumbersAreMaskedInLinearTime() throws IOException {
        int count = 200_000;
        ResourceInstance worst =
                parse(WorstCaseStates.collidingNumbers(count)).resources().getFirst();
        JsonNode masked = worst.maskedAttributes();
        assertThat(masked.path("secret").asText()).isEqualTo("(sensitive)");
        assertThat(masked.path("copy").size()).isEqualTo(count);
        for (JsonNode value : masked.path("copy")) {
            assertThat(value).isEqualTo(Masking.SENSITIVE);
        }
        for (int i = 0; i < count; i++) {
            assertThat(masked.path("open").get(i).asLong()).isEqualTo(WorstCaseStates.collidingNumber(count + 1 + i));
        }
        assertThat(Masking.sensitiveValues(worst.attributes(), worst.sensitive())
                        .size())
                .isEqualTo(count);
    }

    /** The masked view is computed once, when the version is parsed: a cached document is never masked again. */
    @Test
    void theMaskedViewIsComputedOnceWhenParsed() throws IOException {
        ResourceInstance worst =
                parse(WorstCaseStates.collidingNumbers(10)).resources().getFirst();
        assertThat(worst.maskedAttributes()).isSameAs(worst.maskedAttributes());
        ResourceInstance plain =
                parse(WorstCaseStates.deepArrays(3, 3, 0, 1)).resources().getFirst();
        assertThat(plain.maskedAttributes()).as("nothing sensitive: no copy").isSameAs(plain.attributes());
    }

    /** The review's diff input: arrays 1,900 deep. Over the depth limit: refused, never parsed whole. */
    @Test
    void arraysNestedBeyondTheDepthLimitAreTooLargeToAnalyse() {
        byte[] deep = WorstCaseStates.deepArrays(1_900, 30_000, 0, 1);
        assertThatThrownBy(() -> parse(deep))
                .isInstanceOf(AnalysisLimitException.class)
                .hasMessageContaining("nests deeper");
    }

    /**
     * Just under the depth limit, 30,000 leaves that all differ with paths 190 steps long: the diff
     * lists at most its cap, says it is truncated, and what it holds stays within the byte cap
     * (flattened whole, both sides were some 40 MB of path strings).
     */
    @Test
    void aDiffOfDeepVersionsIsCappedAndSaysSo() throws IOException {
        StateDocument a = parse(WorstCaseStates.deepArrays(190, 30_000, 0, 1));
        StateDocument b = parse(WorstCaseStates.deepArrays(190, 30_000, 1_000_000, 2));
        AnalysisLimits limits = AnalysisLimits.of(Long.MAX_VALUE).withDiffCaps(10_000, 1024 * 1024);
        StateDiff.Result diff = StateDiff.between(a, b, limits);

        assertThat(diff.truncated()).isTrue();
        List<StateDiff.AttributeChange> changes =
                diff.resourcesChanged().getFirst().changes();
        assertThat(changes).isNotEmpty().hasSizeLessThanOrEqualTo(10_000);
        assertThat(changes.getFirst().path()).isEqualTo("deep" + "[0]".repeat(189) + "[0]");
        assertThat(changes.getFirst().before().asLong()).isZero();
        assertThat(changes.getFirst().after().asLong()).isEqualTo(1_000_000);
        assertThat(DiffWeight.of(diff)).isLessThan(2L * 1024 * 1024);

        StateDiff.Result whole = StateDiff.between(a, b, AnalysisLimits.of(Long.MAX_VALUE));
        assertThat(whole.truncated()).as("under the default caps too").isTrue();
        assertThat(whole.resourcesChanged().getFirst().changes()).hasSizeLessThanOrEqualTo(10_000);
        assertThat(DiffWeight.of(whole)).isLessThan(2 * AnalysisLimits.DEFAULT_MAX_DIFF_BYTES);
    }

    /** Side by side: one differing leaf among 30,000 equal ones is one change, and nothing is truncated. */
    @Test
    void aDiffEmitsOnlyTheDifferingPaths() throws IOException {
        String base = new String(WorstCaseStates.deepArrays(40, 30_000, 0, 1), java.nio.charset.StandardCharsets.UTF_8);
        String changed = base.replace(",29999]", ",-1]").replace("\"serial\":1", "\"serial\":2");
        StateDiff.Result diff = StateDiff.between(parse(base.getBytes()), parse(changed.getBytes()));
        assertThat(diff.truncated()).isFalse();
        assertThat(diff.resourcesChanged()).hasSize(1);
        StateDiff.AttributeChange only =
                diff.resourcesChanged().getFirst().changes().getFirst();
        assertThat(diff.resourcesChanged().getFirst().changes()).hasSize(1);
        assertThat(only.path()).isEqualTo("deep" + "[0]".repeat(39) + "[29999]");
        assertThat(only.before().asInt()).isEqualTo(29_999);
        assertThat(only.after().asInt()).isEqualTo(-1);
    }

    /** The walk follows at most maxDepth levels; a deeper difference is one change whose values are not shown. */
    @Test
    void theDiffFollowsAtMostItsDepth() throws IOException {
        StateDocument a = parse(WorstCaseStates.deepArrays(20, 3, 0, 1));
        StateDocument b = parse(WorstCaseStates.deepArrays(20, 3, 7, 2));
        AnalysisLimits shallow = new AnalysisLimits(Long.MAX_VALUE, 1_000_000, 8, 100, 1 << 20, 1 << 20, 1 << 20);
        List<StateDiff.AttributeChange> changes =
                StateDiff.between(a, b, shallow).resourcesChanged().getFirst().changes();
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().path()).isEqualTo("deep" + "[0]".repeat(7));
        assertThat(changes.getFirst().before()).isEqualTo(AttributeDiff.TOO_DEEP);
    }

    /** 30 MB of {@code [{},{},…]} is ten million JSON values: over the node limit, refused while it is read. */
    @Test
    void thirtyMegabytesOfEmptyObjectsAreTooLargeToAnalyse() {
        byte[] worst = WorstCaseStates.emptyObjects(30L * 1024 * 1024);
        assertThatThrownBy(() -> parse(worst))
                .isInstanceOf(AnalysisLimitException.class)
                .hasMessageContaining("insight-max-nodes");
    }

    /**
     * The weight of a parsed {@code [{},{},…]} (about 40 bytes of heap per raw byte) and of an ordinary
     * state is close to the heap they really hold, measured after a full collection. The old estimate
     * (four times the raw size) was eight times too low for the first.
     */
    @Test
    void aParsedVersionWeighsWhatItHolds() throws IOException {
        byte[] empties = WorstCaseStates.emptyObjects(3L * 1_000_000);
        assertWeightCloseToHeap(empties);
        byte[] ordinary = dev.statefort.core.testing.StateBodies.withResources("l", 1, 20_000)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertWeightCloseToHeap(ordinary);
    }

    private static void assertWeightCloseToHeap(byte[] body) throws IOException {
        long before = usedHeapAfterCollection();
        StateDocument doc = parse(body);
        long held = usedHeapAfterCollection() - before;
        Reference.reachabilityFence(doc);
        assertThat((double) doc.heapBytes())
                .as("weight %,d for %,d bytes of heap held (%,d raw)", doc.heapBytes(), held, body.length)
                .isBetween(0.8 * held, 1.6 * held);
    }

    /** The cache of parsed versions never holds more than its byte bound, by those weights. */
    @Test
    void theParseCacheStaysWithinItsByteBound() throws IOException {
        StateService states = states();
        byte[] empties = WorstCaseStates.emptyObjects(1_500_000); // 500,000 objects, about 40 MB of heap
        long weight = parse(empties).heapBytes();
        long bound = weight * 5 / 2;
        ParsedVersions parsed =
                new ParsedVersions(states, AnalysisLimits.of(64 << 20).withCaches(bound, 1 << 20), new AnalysisPool(1));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            VersionRecord v = write(states, new StateKey("p", "s" + i), empties);
            assertThat(parsed.document(v)).isPresent();
            seen.add(parsed.cachedDocumentBytes());
            assertThat(parsed.cachedDocumentBytes()).isLessThanOrEqualTo(bound);
        }
        assertThat(seen).as("two fit, the third evicts one").contains(2 * weight);
    }

    /**
     * Review 2: a 1 MB type repeated by 1,000 instances (about 4,000 tokens) would be 1 GB of
     * addresses: refused as it is parsed.
     */
    @Test
    void addressesLongerTogetherThanTheLimitAreTooLargeToAnalyse() throws IOException {
        byte[] worst = WorstCaseStates.longNames(1_000_000, 1_000);
        assertThatThrownBy(
                        () -> StateDocument.parser(AnalysisLimits.of(32 << 20)).parse(new ByteArrayInputStream(worst)))
                .isInstanceOf(AnalysisLimitException.class)
                .hasMessageContaining("addresses");
        assertThat(parse(WorstCaseStates.longNames(100, 1_000)).resources()).hasSize(1_000);
    }

    /**
     * Review 2: a sensitive path of 400,000 steps (eight JSON levels deep) once overflowed the stack
     * in the diff (a 500); now a path keeps the steps an attribute can have, masks at least what it
     * names, and the diff answers.
     */
    @Test
    void aVeryLongSensitivePathNeitherOverflowsNorLeaksTheSecret() throws IOException {
        StateDocument a = parse(WorstCaseStates.longSensitivePath(400_000, 1));
        StateDocument b = parse(WorstCaseStates.longSensitivePath(400_000, 2));
        assertThat(a.resources().getFirst().maskedAttributes().toString()).doesNotContain("secret-1");
        StateDiff.Result diff = StateDiff.between(a, b);
        assertThat(diff.toString()).doesNotContain("secret-1", "secret-2").contains("v1", "v2");
    }

    /**
     * Review 2: {@code terraform_remote_state} of a state over the analysis limits streams past the
     * resources: 3 MB of {@code [{},{},…]} after the outputs, read with a limit of 10,000 tokens.
     */
    @Test
    void outputsOnlyStreamsPastResourcesBeyondTheLimits() throws IOException {
        String empties = new String(WorstCaseStates.emptyObjects(3_000_000), java.nio.charset.StandardCharsets.UTF_8);
        String state =
                empties.replace("\"outputs\":{}", "\"outputs\":{\"vpc\":{\"value\":\"vpc-1\",\"type\":\"string\"}}");
        byte[] body = state.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        byte[] outputs = OutputsOnlyState.synthesize(
                in,
                dev.statefort.core.policy.StateSettings.NONE,
                StateDocument.parser(AnalysisLimits.of(64 << 20, 10_000)));
        assertThat(new String(outputs, java.nio.charset.StandardCharsets.UTF_8))
                .contains("vpc-1", "\"resources\" : [ ]")
                .doesNotContain("{ }, { }");
        assertThat(in.available()).as("read to its end").isZero();
    }

    /** The weight counts the sensitive-path tree: many long paths weigh close to what they hold. */
    @Test
    void sensitivePathsAreWeighed() throws IOException {
        assertWeightCloseToHeap(WorstCaseStates.longSensitivePath(150, 1));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("[{\"type\":\"get_attr\",\"value\":\"a")
                    .append(i)
                    .append("\"}]");
        }
        String state = new String(WorstCaseStates.deepArrays(2, 2, 0, 1), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"sensitive_attributes\":[]", "\"sensitive_attributes\":[" + many + "]");
        assertWeightCloseToHeap(state.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Through {@link ParsedVersions}, a version over the node limit is a 413 naming the version, remembered. */
    @Test
    void aVersionOverTheNodeLimitIsTooLargeToAnalyse() throws IOException {
        StateService states = states();
        ParsedVersions parsed = new ParsedVersions(states, AnalysisLimits.of(64 << 20, 10_000), new AnalysisPool(1));
        VersionRecord v = write(states, new StateKey("p", "wide"), WorstCaseStates.emptyObjects(60_000));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> parsed.document(v))
                    .isInstanceOf(TooLargeToAnalyseException.class)
                    .hasMessageContaining("version 1 of p/wide is too large to analyse")
                    .hasMessageContaining("insight-max-nodes");
        }
    }

    /** A state service over in-memory stores with project {@code p}. */
    private static StateService states() {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject("p", Instant.EPOCH);
        return StateService.withDefaults(
                metadata, new InMemoryBlobStore(), 64 << 20, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    private static VersionRecord write(StateService states, StateKey key, byte[] body) throws IOException {
        WriteOutcome outcome = states.write(
                WriteRequest.of(key, new ByteArrayInputStream(body), body.length, TestPrincipals.admin("test")));
        return ((WriteOutcome.Written) outcome).version();
    }

    private static long usedHeapAfterCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
