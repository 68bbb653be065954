package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * What changed between two readable states: resources added, removed and changed (by address, with
 * the attribute paths that changed, found by {@link AttributeDiff}) and outputs added, removed and
 * changed. Sensitive values (per either side's {@code sensitive_attributes} or output flag) are
 * masked. At most {@link AnalysisLimits#maxDiffChanges()} attribute changes and about {@link
 * AnalysisLimits#maxDiffBytes()} of them are listed; a diff that stopped there says {@code
 * truncated}.
 */
public final class StateDiff {
    private StateDiff() {}

    public record AttributeChange(String path, JsonNode before, JsonNode after) {}

    public record ResourceChange(String address, List<AttributeChange> changes) {}

    public record OutputChange(String name, JsonNode before, JsonNode after) {}

    /**
     * @param truncated whether the diff stopped at its cap: changes after the last one listed are
     *     left out (download both versions to compare them whole)
     */
    public record Result(
            List<String> resourcesAdded,
            List<String> resourcesRemoved,
            List<ResourceChange> resourcesChanged,
            List<String> outputsAdded,
            List<String> outputsRemoved,
            List<OutputChange> outputsChanged,
            boolean truncated) {
        public boolean isEmpty() {
            return resourcesAdded.isEmpty()
                    && resourcesRemoved.isEmpty()
                    && resourcesChanged.isEmpty()
                    && outputsAdded.isEmpty()
                    && outputsRemoved.isEmpty()
                    && outputsChanged.isEmpty();
        }
    }

    /** The diff under the default limits. */
    public static Result between(StateDocument from, StateDocument to) {
        return between(from, to, AnalysisLimits.of(Long.MAX_VALUE));
    }

    public static Result between(StateDocument from, StateDocument to, AnalysisLimits limits) {
        DiffBudget budget = new DiffBudget(limits.maxDiffChanges(), limits.maxDiffBytes());
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<ResourceChange> changed = new ArrayList<>();
        Map<String, ResourceInstance> before = from.byAddress();
        Map<String, ResourceInstance> after = to.byAddress();
        for (String address : sortedUnion(before.keySet(), after.keySet())) {
            ResourceInstance b = before.get(address);
            ResourceInstance a = after.get(address);
            if (b == null) {
                added.add(address);
            } else if (a == null) {
                removed.add(address);
            } else if (!budget.spent() && !b.attributes().equals(a.attributes())) {
                List<AttributeChange> changes = AttributeDiff.between(b, a, limits.maxDepth(), budget);
                if (!changes.isEmpty()) {
                    changed.add(new ResourceChange(address, changes));
                }
            }
        }
        List<String> outputsAdded = new ArrayList<>();
        List<String> outputsRemoved = new ArrayList<>();
        List<OutputChange> outputsChanged = new ArrayList<>();
        compareOutputs(from, to, budget, (name, change) -> {
            if (change == null) {
                (from.outputs().containsKey(name) ? outputsRemoved : outputsAdded).add(name);
            } else {
                outputsChanged.add(change);
            }
        });
        return new Result(added, removed, changed, outputsAdded, outputsRemoved, outputsChanged, budget.truncated());
    }

    /** Each output added or removed (with a null change) or changed (masked when either side is sensitive). */
    private static void compareOutputs(
            StateDocument from, StateDocument to, DiffBudget budget, BiConsumer<String, OutputChange> found) {
        for (String name : sortedUnion(from.outputs().keySet(), to.outputs().keySet())) {
            OutputValue b = from.outputs().get(name);
            OutputValue a = to.outputs().get(name);
            if (b == null || a == null) {
                found.accept(name, null);
            } else if (!b.value().equals(a.value()) || b.sensitive() != a.sensitive()) {
                boolean sensitive = b.sensitive() || a.sensitive();
                JsonNode shownBefore = sensitive ? Masking.SENSITIVE : b.value();
                JsonNode shownAfter = sensitive ? Masking.SENSITIVE : a.value();
                if (budget.take(name.length(), shownBefore, shownAfter)) {
                    found.accept(name, new OutputChange(name, shownBefore, shownAfter));
                }
            }
        }
    }

    private static TreeSet<String> sortedUnion(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
