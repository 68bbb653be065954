package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Replaces sensitive values with {@code "(sensitive)"} before anything leaves the server. A value is
 * sensitive when its path is one Terraform marked sensitive, or when it equals a value found under
 * such a path in the same instance: Terraform does not always record derived copies (e.g. {@code
 * terraform_data.output} repeats a sensitive {@code input} unmarked).
 */
public final class Masking {
    public static final TextNode SENSITIVE = TextNode.valueOf("(sensitive)");

    private Masking() {}

    /** A copy of {@code attributes} with every sensitive subtree or value masked. */
    public static JsonNode maskAttributes(JsonNode attributes, Set<String> sensitivePaths) {
        return mask("", attributes, sensitivePaths, sensitiveValues(attributes, sensitivePaths));
    }

    /** The scalar values found under sensitive paths (what must not show anywhere in the instance). */
    public static Set<JsonNode> sensitiveValues(JsonNode attributes, Set<String> sensitivePaths) {
        Set<JsonNode> values = new java.util.HashSet<>();
        if (sensitivePaths.isEmpty()) {
            return values;
        }
        AttributePaths.flatten(attributes).forEach((path, leaf) -> {
            if (isSensitive(path, sensitivePaths) && isSecretLike(leaf)) {
                values.add(leaf);
            }
        });
        return values;
    }

    /** Scalars worth hiding; booleans, nulls and empty strings reveal nothing and would over-mask. */
    static boolean isSecretLike(JsonNode leaf) {
        return (leaf.isTextual() && !leaf.asText().isEmpty()) || leaf.isNumber();
    }

    /** An output's value, masked when the output is sensitive. */
    public static JsonNode outputValue(OutputValue output) {
        return output.sensitive() ? SENSITIVE : output.value();
    }

    public static boolean isSensitive(String path, Set<String> sensitivePaths) {
        for (String s : sensitivePaths) {
            if (AttributePaths.isUnder(path, s)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode mask(String path, JsonNode node, Set<String> sensitivePaths, Set<JsonNode> values) {
        if (!path.isEmpty() && sensitivePaths.contains(path)) {
            return SENSITIVE;
        }
        if (values.contains(node)) {
            return SENSITIVE;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                copy.set(
                        f.getKey(), mask(AttributePaths.child(path, f.getKey()), f.getValue(), sensitivePaths, values));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(mask(path + "[" + i + "]", node.get(i), sensitivePaths, values));
            }
            return copy;
        }
        return node;
    }
}
