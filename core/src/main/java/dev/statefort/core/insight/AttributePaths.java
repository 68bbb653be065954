package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute paths as text: {@code tags.env}, {@code ingress[0].cidr_blocks[1]}, {@code
 * labels["a.b"]} (keys that are not plain identifiers are quoted). {@link #flatten} turns an
 * attributes object into path → leaf value.
 */
public final class AttributePaths {
    private AttributePaths() {}

    /** Every leaf (scalar, null, empty object or empty array) under {@code node}, by path. */
    public static Map<String, JsonNode> flatten(JsonNode node) {
        Map<String, JsonNode> leaves = new TreeMap<>();
        flatten("", node, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(child(prefix, f.getKey()), f.getValue(), leaves);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), leaves);
            }
        } else {
            leaves.put(prefix, node);
        }
    }

    /** The path of field {@code name} under {@code prefix}. */
    public static String child(String prefix, String name) {
        String step = name.matches("[A-Za-z_][A-Za-z0-9_-]*") ? name : "[\"" + name.replace("\"", "\\\"") + "\"]";
        if (prefix.isEmpty()) {
            return step.startsWith("[") ? step : step;
        }
        return step.startsWith("[") ? prefix + step : prefix + "." + step;
    }

    /** Whether {@code path} is {@code sensitive} or lies under it. */
    public static boolean isUnder(String path, String sensitive) {
        return path.equals(sensitive) || path.startsWith(sensitive + ".") || path.startsWith(sensitive + "[");
    }
}
