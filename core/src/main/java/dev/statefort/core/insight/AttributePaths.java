package dev.statefort.core.insight;

import java.util.regex.Pattern;

/**
 * Attribute paths as text: {@code tags.env}, {@code ingress[0].cidr_blocks[1]}, {@code
 * labels["a.b"]} (keys that are not plain identifiers are quoted). {@link AttributeDiff} builds
 * them one step at a time in one buffer, only for the paths it emits.
 */
public final class AttributePaths {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private AttributePaths() {}

    /** Appends field {@code name} to the path in {@code path} ({@code .name}, or {@code ["a.b"]}). */
    static StringBuilder appendField(StringBuilder path, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return path.append("[\"").append(name.replace("\"", "\\\"")).append("\"]");
        }
        return path.isEmpty() ? path.append(name) : path.append('.').append(name);
    }
}
