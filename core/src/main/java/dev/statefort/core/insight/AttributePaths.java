package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Attribute paths as text: {@code tags.env}, {@code ingress[0].cidr_blocks[1]}, {@code
 * labels["a.b"]} (keys that are not plain identifiers are quoted). {@link #flatten} turns an
 * attributes object into path → leaf value, each marked when it lies under a sensitive path.
 */
public final class AttributePaths {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private AttributePaths() {}

    /** A leaf value and whether Terraform marked its path (or a path above it) sensitive. */
    public record Leaf(JsonNode value, boolean sensitive) {}

    /**
     * Every leaf (scalar, null, empty object or empty array) under {@code node}, by path, walked
     * once beside {@code sensitive} (one lookup per level: linear in the size of the tree).
     */
    public static Map<String, Leaf> flatten(JsonNode node, SensitiveTree sensitive) {
        Map<String, Leaf> leaves = new TreeMap<>();
        flatten("", node, sensitive, false, leaves);
        return leaves;
    }

    private static void flatten(
            String prefix, JsonNode node, SensitiveTree tree, boolean under, Map<String, Leaf> leaves) {
        boolean here = under || (tree != null && tree.isSensitive());
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                SensitiveTree child = here || tree == null ? null : tree.field(f.getKey());
                flatten(child(prefix, f.getKey()), f.getValue(), child, here, leaves);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                SensitiveTree child = here || tree == null ? null : tree.element(i);
                flatten(prefix + "[" + i + "]", node.get(i), child, here, leaves);
            }
        } else {
            leaves.put(prefix, new Leaf(node, here));
        }
    }

    /** The path of field {@code name} under {@code prefix}. */
    public static String child(String prefix, String name) {
        return appendField(new StringBuilder(prefix), name).toString();
    }

    /** Appends field {@code name} to the path in {@code path} ({@code .name}, or {@code ["a.b"]}). */
    static StringBuilder appendField(StringBuilder path, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return path.append("[\"").append(name.replace("\"", "\\\"")).append("\"]");
        }
        return path.isEmpty() ? path.append(name) : path.append('.').append(name);
    }
}
