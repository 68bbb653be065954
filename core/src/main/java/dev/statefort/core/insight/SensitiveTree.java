package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attribute paths Terraform marked sensitive, as a tree of steps (an object field by name, an
 * array element by index). Walking it beside an attributes tree costs one map lookup per level, so
 * masking is linear in the size of the state however many sensitive paths there are and however
 * deep they go. A map element ({@code index} step with a string key) and an object field are the
 * same step here: both are a field of a JSON object. A path keeps at most {@link #MAX_STEPS} steps
 * (no attribute lies deeper than an analysis parses): a longer one masks the subtree at its first
 * {@code MAX_STEPS}, more than it names, never less.
 */
public final class SensitiveTree {
    /** No sensitive paths at all. */
    public static final SensitiveTree NONE = new SensitiveTree();

    /** Steps a path keeps: attributes nest no deeper than an analysis parses. */
    static final int MAX_STEPS = AnalysisLimits.DEFAULT_MAX_DEPTH;

    /** A node: the object, its map with a table, and the entry and key under its parent. */
    private static final long NODE_BYTES = 200;

    private final Map<Object, SensitiveTree> children = new HashMap<>();
    private boolean sensitive;
    private long nodes = 1;

    SensitiveTree() {}

    /**
     * The tree of an instance's {@code sensitive_attributes}. Terraform writes each path as an array
     * of steps: {@code {"type":"get_attr","value":"password"}} or {@code {"type":"index","value":
     * {"value":0,"type":"number"}}}. Attributes of dynamic type are stored as {@code {"value": ...,
     * "type": ...}}, so the sensitive path {@code input.secret} is {@code input.value.secret} in the
     * JSON: both are kept. A path with a step it does not understand is left out. Linear in the
     * number of steps.
     */
    static SensitiveTree of(JsonNode paths) {
        Builder tree = new Builder();
        for (JsonNode path : paths) {
            List<Object> steps = steps(path);
            if (steps != null) {
                tree.add(steps);
                List<Object> dynamic = new ArrayList<>(steps.size() + 1);
                dynamic.add(steps.getFirst());
                dynamic.add("value");
                dynamic.addAll(steps.subList(1, steps.size()));
                tree.add(dynamic);
            }
        }
        return tree.build();
    }

    /** The steps of one path (at most {@link #MAX_STEPS}), or null when it is not understood. */
    private static List<Object> steps(JsonNode path) {
        if (!path.isArray() || path.isEmpty()) {
            return null;
        }
        List<Object> steps = new ArrayList<>();
        for (JsonNode step : path) {
            if (steps.size() == MAX_STEPS) {
                break;
            }
            String kind = step.path("type").asText();
            JsonNode value = step.path("value");
            if (kind.equals("get_attr") && value.isTextual()) {
                steps.add(value.asText());
            } else if (kind.equals("index")) {
                JsonNode key = value.has("value") ? value.get("value") : value;
                steps.add(key.isIntegralNumber() && key.canConvertToInt() ? key.asInt() : key.asText());
            } else {
                return null;
            }
        }
        return steps;
    }

    /** This node: the subtree from here on is sensitive. */
    public boolean isSensitive() {
        return sensitive;
    }

    /** The node for field {@code name} below this one, or null when nothing below it is sensitive. */
    public SensitiveTree field(String name) {
        return children.isEmpty() ? null : children.get(name);
    }

    /** The node for element {@code index} below this one, or null when nothing below it is sensitive. */
    public SensitiveTree element(int index) {
        return children.isEmpty() ? null : children.get(index);
    }

    public boolean isEmpty() {
        return !sensitive && children.isEmpty();
    }

    /** The heap this tree holds (its step names are shared with the parsed state). */
    long heapBytes() {
        return this == NONE ? 0 : nodes * NODE_BYTES;
    }

    /**
     * The paths sensitive in either tree (a new tree; the two are not changed). Recursion follows the
     * steps, at most {@link #MAX_STEPS} deep.
     */
    public static SensitiveTree union(SensitiveTree a, SensitiveTree b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        SensitiveTree both = new SensitiveTree();
        both.sensitive = a.sensitive || b.sensitive;
        Set<Object> steps = new HashSet<>(a.children.keySet());
        steps.addAll(b.children.keySet());
        for (Object step : steps) {
            SensitiveTree child = union(a.children.getOrDefault(step, NONE), b.children.getOrDefault(step, NONE));
            both.children.put(step, child);
            both.nodes += child.nodes;
        }
        return both;
    }

    /** Builds a tree; only {@link #of} adds paths, then it is read only. */
    private static final class Builder {
        private final SensitiveTree root = new SensitiveTree();

        /** Adds one path of steps: {@link String} field names and {@link Integer} indexes. */
        void add(List<Object> steps) {
            SensitiveTree node = root;
            for (Object step : steps) {
                SensitiveTree next = node.children.get(step);
                if (next == null) {
                    next = new SensitiveTree();
                    node.children.put(step, next);
                    root.nodes++;
                }
                node = next;
            }
            node.sensitive = true;
        }

        SensitiveTree build() {
            return root.isEmpty() ? NONE : root;
        }
    }
}
