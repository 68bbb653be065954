package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The attribute changes of one resource instance: both attribute trees walked side by side, one
 * path built in one buffer, and only the leaves (scalars, nulls, empty objects and arrays) that
 * differ emitted, each with its path in {@link AttributePaths} form. A path marked sensitive on
 * either side, or a value that equals a sensitive value of either side, is masked on both. The walk
 * follows at most {@code maxDepth} levels (deeper subtrees that differ are one change, their values
 * not shown) and stops when the {@link DiffBudget} is spent.
 */
final class AttributeDiff {
    /** Shown instead of the values of a subtree nested deeper than the walk follows. */
    static final TextNode TOO_DEEP = TextNode.valueOf("(nested too deep to compare)");

    private final SensitiveTree sensitive;
    private final SensitiveValues secrets;
    private final int maxDepth;
    private final DiffBudget budget;
    private final List<StateDiff.AttributeChange> changes = new ArrayList<>();
    private final StringBuilder path = new StringBuilder();

    private AttributeDiff(SensitiveTree sensitive, SensitiveValues secrets, int maxDepth, DiffBudget budget) {
        this.sensitive = sensitive;
        this.secrets = secrets;
        this.maxDepth = maxDepth;
        this.budget = budget;
    }

    /** The changes from {@code before}'s attributes to {@code after}'s, within {@code budget}. */
    static List<StateDiff.AttributeChange> between(
            ResourceInstance before, ResourceInstance after, int maxDepth, DiffBudget budget) {
        AttributeDiff diff = new AttributeDiff(
                SensitiveTree.union(before.sensitive(), after.sensitive()),
                SensitiveValues.union(
                        Masking.sensitiveValues(before.attributes(), before.sensitive()),
                        Masking.sensitiveValues(after.attributes(), after.sensitive())),
                maxDepth,
                budget);
        diff.walk(before.attributes(), after.attributes(), diff.sensitive, false, 0);
        return List.copyOf(diff.changes);
    }

    /** {@code left} and {@code right} are the nodes at {@link #path}; null where a side has none. */
    private void walk(JsonNode left, JsonNode right, SensitiveTree tree, boolean under, int depth) {
        if (budget.spent()) {
            return;
        }
        boolean here = under || (tree != null && tree.isSensitive());
        if (depth >= maxDepth) {
            if (!Objects.equals(left, right)) {
                emit(left == null ? null : TOO_DEEP, right == null ? null : TOO_DEEP, here);
            }
            return;
        }
        boolean leftBranches = branches(left);
        boolean rightBranches = branches(right);
        if (leftBranches && rightBranches && left.getNodeType() == right.getNodeType()) {
            children(left, right, tree, here, depth);
            return;
        }
        if (!leftBranches && !rightBranches) {
            if (!Objects.equals(left, right)) {
                emit(left, right, here);
            }
            return;
        }
        // a subtree on one side meets a leaf, nothing, or another kind of subtree: their leaves share no path
        if (leftBranches) {
            children(left, null, tree, here, depth);
        } else if (left != null) {
            emit(left, null, here);
        }
        if (rightBranches) {
            children(null, right, tree, here, depth);
        } else if (right != null) {
            emit(null, right, here);
        }
    }

    /** The children of two containers of one kind, or of one container (the other null). */
    private void children(JsonNode left, JsonNode right, SensitiveTree tree, boolean here, int depth) {
        JsonNode shape = left != null ? left : right;
        int mark = path.length();
        if (shape.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            addNames(left, names);
            addNames(right, names);
            for (String name : names) {
                AttributePaths.appendField(path, name);
                walk(
                        left == null ? null : left.get(name),
                        right == null ? null : right.get(name),
                        here || tree == null ? null : tree.field(name),
                        here,
                        depth + 1);
                path.setLength(mark);
                if (budget.spent()) {
                    return;
                }
            }
            return;
        }
        int size = Math.max(left == null ? 0 : left.size(), right == null ? 0 : right.size());
        for (int i = 0; i < size; i++) {
            path.append('[').append(i).append(']');
            walk(
                    left == null ? null : left.get(i),
                    right == null ? null : right.get(i),
                    here || tree == null ? null : tree.element(i),
                    here,
                    depth + 1);
            path.setLength(mark);
            if (budget.spent()) {
                return;
            }
        }
    }

    private static void addNames(JsonNode object, TreeSet<String> names) {
        if (object != null) {
            object.forEachEntry((name, value) -> names.add(name)); // no key-set view left behind in the map
        }
    }

    /** A non-empty object or array: its leaves are listed by their own paths. */
    private static boolean branches(JsonNode node) {
        return node != null && node.isContainerNode() && !node.isEmpty();
    }

    private void emit(JsonNode before, JsonNode after, boolean sensitivePath) {
        boolean masked = sensitivePath || secrets.contains(before) || secrets.contains(after);
        JsonNode shownBefore = before == null ? null : masked ? Masking.SENSITIVE : before;
        JsonNode shownAfter = after == null ? null : masked ? Masking.SENSITIVE : after;
        if (budget.take(path.length(), shownBefore, shownAfter)) {
            changes.add(new StateDiff.AttributeChange(path.toString(), shownBefore, shownAfter));
        }
    }
}
