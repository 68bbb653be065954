package dev.statefort.core.insight;

import java.util.HashMap;
import java.util.Map;

/**
 * The attribute paths Terraform marked sensitive, as a tree of steps (an object field by name, an
 * array element by index). Walking it beside an attributes tree costs one map lookup per level, so
 * masking is linear in the size of the state however many sensitive paths there are and however
 * deep they go. A map element ({@code index} step with a string key) and an object field are the
 * same step here: both are a field of a JSON object.
 */
public final class SensitiveTree {
    /** No sensitive paths at all. */
    public static final SensitiveTree NONE = new SensitiveTree();

    private final Map<Object, SensitiveTree> children = new HashMap<>();
    private boolean sensitive;

    SensitiveTree() {}

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

    /** The paths sensitive in either tree (a new tree; the two are not changed). */
    public static SensitiveTree union(SensitiveTree a, SensitiveTree b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        SensitiveTree both = new SensitiveTree();
        both.sensitive = a.sensitive || b.sensitive;
        java.util.Set<Object> steps = new java.util.HashSet<>(a.children.keySet());
        steps.addAll(b.children.keySet());
        for (Object step : steps) {
            SensitiveTree x = a.children.getOrDefault(step, NONE);
            SensitiveTree y = b.children.getOrDefault(step, NONE);
            both.children.put(step, union(x, y));
        }
        return both;
    }

    /** Builds a tree; only {@link StateDocument} adds paths while parsing, then it is read only. */
    static final class Builder {
        private final SensitiveTree root = new SensitiveTree();

        /** Adds one path of steps: {@link String} field names and {@link Integer} indexes. */
        void add(java.util.List<Object> steps) {
            SensitiveTree node = root;
            for (Object step : steps) {
                node = node.children.computeIfAbsent(step, s -> new SensitiveTree());
            }
            node.sensitive = true;
        }

        SensitiveTree build() {
            return root.isEmpty() ? NONE : root;
        }
    }
}
