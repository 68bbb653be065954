package dev.statefort.core.surgery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.statefort.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource or resource-instance address as Terraform writes it ({@code module.net["a"].aws_subnet.private[0]},
 * {@code data.aws_ami.ubuntu}), split into what a state file keeps apart: the module path, the mode,
 * the type, the name and, for one instance, its key.
 *
 * @param module the module path as the state's {@code module} field holds it, empty for the root
 * @param mode {@code managed} or {@code data}
 * @param indexKey the instance key ({@code count} index or {@code for_each} key), or null: the
 *     resource as a whole, or its one instance when it has no key
 */
public record InstanceAddress(String module, String mode, String type, String name, JsonNode indexKey) {
    /** Longest address accepted. */
    static final int MAX_CHARS = 1024;

    /** The address Terraform shows (what {@code StateDocument} lists). */
    @Override
    public String toString() {
        return resource() + indexSuffix(indexKey);
    }

    /** The resource's address, without an instance key. */
    public String resource() {
        return (module.isEmpty() ? "" : module + ".") + (mode.equals("data") ? "data." : "") + type + "." + name;
    }

    public boolean hasKey() {
        return indexKey != null;
    }

    /** The same address with another instance key (null: none). */
    InstanceAddress withKey(JsonNode key) {
        return new InstanceAddress(module, mode, type, name, key);
    }

    static String indexSuffix(JsonNode indexKey) {
        if (indexKey == null || indexKey.isNull()) {
            return "";
        }
        if (indexKey.isNumber()) {
            return "[" + indexKey.asText() + "]";
        }
        return "[\"" + indexKey.asText().replace("\"", "\\\"") + "\"]";
    }

    /** Parses an address; a 400 naming it when it is not one. */
    public static InstanceAddress parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_CHARS) {
            throw new InvalidInputException("an address is required (at most " + MAX_CHARS + " characters)");
        }
        List<String> steps = steps(text.strip());
        StringBuilder module = new StringBuilder();
        int i = 0;
        while (i < steps.size() && steps.get(i).equals("module")) {
            if (i + 1 >= steps.size()) {
                throw bad(text);
            }
            module.append(module.isEmpty() ? "" : ".").append("module.").append(steps.get(i + 1));
            i += 2;
        }
        String mode = "managed";
        if (i < steps.size() && steps.get(i).equals("data")) {
            mode = "data";
            i++;
        }
        if (steps.size() - i != 2) {
            throw bad(text);
        }
        String type = steps.get(i);
        String nameAndKey = steps.get(i + 1);
        String name = nameAndKey;
        JsonNode key = null;
        int bracket = nameAndKey.indexOf('[');
        if (bracket >= 0) {
            name = nameAndKey.substring(0, bracket);
            key = key(nameAndKey.substring(bracket), text);
        }
        if (!type.matches("[A-Za-z_][A-Za-z0-9_-]*") || !name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw bad(text);
        }
        return new InstanceAddress(module.toString(), mode, type, name, key);
    }

    /** {@code [0]} or {@code ["a"]}. */
    private static JsonNode key(String bracketed, String text) {
        if (!bracketed.endsWith("]")) {
            throw bad(text);
        }
        String inner = bracketed.substring(1, bracketed.length() - 1);
        if (inner.matches("\\d{1,9}")) {
            return JsonNodeFactory.instance.numberNode(Integer.parseInt(inner));
        }
        if (inner.length() >= 2 && inner.startsWith("\"") && inner.endsWith("\"")) {
            return JsonNodeFactory.instance.textNode(
                    inner.substring(1, inner.length() - 1).replace("\\\"", "\""));
        }
        throw bad(text);
    }

    /** The dot-separated steps, dots inside brackets and quotes kept. */
    private static List<String> steps(String text) {
        List<String> steps = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '[') {
                depth++;
            } else if (!quoted && c == ']') {
                depth--;
            }
            if (c == '.' && !quoted && depth == 0) {
                steps.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        steps.add(current.toString());
        for (String s : steps) {
            if (s.isEmpty()) {
                throw bad(text);
            }
        }
        return steps;
    }

    private static InvalidInputException bad(String text) {
        return new InvalidInputException("'" + text + "' is not a resource address (e.g. aws_s3_bucket.logs,"
                + " module.net.aws_subnet.private[0], data.aws_ami.ubuntu)");
    }
}
