package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Replaces sensitive values with {@code "(sensitive)"} before anything leaves the server. A value is
 * sensitive when its path is one Terraform marked sensitive (or lies under one), or when it equals a
 * value found under such a path in the same instance: Terraform does not always record derived
 * copies (e.g. {@code terraform_data.output} repeats a sensitive {@code input} unmarked).
 *
 * <p>Linear in the size of the instance whatever its values: the attributes are walked once beside
 * the {@link SensitiveTree} to collect the sensitive values into {@link SensitiveValues} (keyed so
 * that no client-chosen value can make lookups degrade), and once more to copy them masked. {@link
 * StateDocument} masks each instance once, when it parses the version, so a cached document is never
 * masked again.
 */
public final class Masking {
    public static final TextNode SENSITIVE = TextNode.valueOf("(sensitive)");

    private Masking() {}

    /**
     * A copy of {@code attributes} with every sensitive subtree or value masked, or {@code attributes}
     * itself when nothing in it is sensitive.
     */
    public static JsonNode maskAttributes(JsonNode attributes, SensitiveTree sensitive) {
        if (sensitive.isEmpty()) {
            return attributes;
        }
        return mask(attributes, sensitive, sensitiveValues(attributes, sensitive));
    }

    /** The scalar values found under sensitive paths (what must not show anywhere in the instance). */
    public static SensitiveValues sensitiveValues(JsonNode attributes, SensitiveTree sensitive) {
        if (sensitive.isEmpty()) {
            return SensitiveValues.NONE;
        }
        SensitiveValues values = SensitiveValues.collecting();
        collect(attributes, sensitive, false, values);
        return values;
    }

    /** An output's value, masked when the output is sensitive. */
    public static JsonNode outputValue(OutputValue output) {
        return output.sensitive() ? SENSITIVE : output.value();
    }

    private static void collect(JsonNode node, SensitiveTree tree, boolean under, SensitiveValues values) {
        boolean here = under || (tree != null && tree.isSensitive());
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                SensitiveTree child = here || tree == null ? null : tree.field(f.getKey());
                if (here || child != null) {
                    collect(f.getValue(), child, here, values);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                SensitiveTree child = here || tree == null ? null : tree.element(i);
                if (here || child != null) {
                    collect(node.get(i), child, here, values);
                }
            }
        } else if (here && SensitiveValues.isSecretLike(node)) {
            values.add(node);
        }
    }

    private static JsonNode mask(JsonNode node, SensitiveTree tree, SensitiveValues values) {
        if (tree != null && tree.isSensitive()) {
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
                copy.set(f.getKey(), mask(f.getValue(), tree == null ? null : tree.field(f.getKey()), values));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (int i = 0; i < node.size(); i++) {
                copy.add(mask(node.get(i), tree == null ? null : tree.element(i), values));
            }
            return copy;
        }
        return node;
    }
}
