package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two readable states: resources added, removed and changed (by address, with
 * the attribute paths that changed) and outputs added, removed and changed. Sensitive values (per
 * either side's {@code sensitive_attributes} or output flag) are masked.
 */
public final class StateDiff {
    private StateDiff() {}

    public record AttributeChange(String path, JsonNode before, JsonNode after) {}

    public record ResourceChange(String address, List<AttributeChange> changes) {}

    public record OutputChange(String name, JsonNode before, JsonNode after) {}

    public record Result(
            List<String> resourcesAdded,
            List<String> resourcesRemoved,
            List<ResourceChange> resourcesChanged,
            List<String> outputsAdded,
            List<String> outputsRemoved,
            List<OutputChange> outputsChanged) {
        public boolean isEmpty() {
            return resourcesAdded.isEmpty()
                    && resourcesRemoved.isEmpty()
                    && resourcesChanged.isEmpty()
                    && outputsAdded.isEmpty()
                    && outputsRemoved.isEmpty()
                    && outputsChanged.isEmpty();
        }
    }

    public static Result between(StateDocument from, StateDocument to) {
        Map<String, ResourceInstance> before = byAddress(from);
        Map<String, ResourceInstance> after = byAddress(to);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<ResourceChange> changed = new ArrayList<>();
        for (String address : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            ResourceInstance b = before.get(address);
            ResourceInstance a = after.get(address);
            if (b == null) {
                added.add(address);
            } else if (a == null) {
                removed.add(address);
            } else if (!b.attributes().equals(a.attributes())) {
                changed.add(new ResourceChange(address, attributeChanges(b, a)));
            }
        }
        List<String> outputsAdded = new ArrayList<>();
        List<String> outputsRemoved = new ArrayList<>();
        List<OutputChange> outputsChanged = new ArrayList<>();
        for (String name :
                new TreeSet<>(union(from.outputs().keySet(), to.outputs().keySet()))) {
            OutputValue b = from.outputs().get(name);
            OutputValue a = to.outputs().get(name);
            if (b == null) {
                outputsAdded.add(name);
            } else if (a == null) {
                outputsRemoved.add(name);
            } else if (!b.value().equals(a.value()) || b.sensitive() != a.sensitive()) {
                boolean sensitive = b.sensitive() || a.sensitive();
                outputsChanged.add(new OutputChange(
                        name, sensitive ? Masking.SENSITIVE : b.value(), sensitive ? Masking.SENSITIVE : a.value()));
            }
        }
        return new Result(added, removed, changed, outputsAdded, outputsRemoved, outputsChanged);
    }

    private static List<AttributeChange> attributeChanges(ResourceInstance b, ResourceInstance a) {
        // a path marked sensitive on either side is masked on both
        SensitiveTree sensitive = SensitiveTree.union(b.sensitive(), a.sensitive());
        Map<String, AttributePaths.Leaf> before = AttributePaths.flatten(b.attributes(), sensitive);
        Map<String, AttributePaths.Leaf> after = AttributePaths.flatten(a.attributes(), sensitive);
        Set<JsonNode> secrets = union(
                Masking.sensitiveValues(b.attributes(), b.sensitive()),
                Masking.sensitiveValues(a.attributes(), a.sensitive()));
        List<AttributeChange> changes = new ArrayList<>();
        for (String path : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            AttributePaths.Leaf left = before.get(path);
            AttributePaths.Leaf right = after.get(path);
            JsonNode x = left == null ? MissingNode.getInstance() : left.value();
            JsonNode y = right == null ? MissingNode.getInstance() : right.value();
            if (!Objects.equals(x, y)) {
                boolean masked = (left != null && left.sensitive())
                        || (right != null && right.sensitive())
                        || Masking.isSensitiveValue(x, secrets)
                        || Masking.isSensitiveValue(y, secrets);
                changes.add(new AttributeChange(
                        path,
                        masked && !x.isMissingNode() ? Masking.SENSITIVE : x.isMissingNode() ? null : x,
                        masked && !y.isMissingNode() ? Masking.SENSITIVE : y.isMissingNode() ? null : y));
            }
        }
        return changes;
    }

    private static Map<String, ResourceInstance> byAddress(StateDocument doc) {
        Map<String, ResourceInstance> map = new LinkedHashMap<>();
        for (ResourceInstance r : doc.resources()) {
            map.put(r.address(), r);
        }
        return map;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
