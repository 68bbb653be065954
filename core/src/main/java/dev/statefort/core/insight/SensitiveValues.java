package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The scalars found under sensitive paths of an instance: what must not show anywhere else in it.
 * Each value is kept as a type tag plus its text ({@code s:hunter2}, {@code n:42}), never as a
 * {@link JsonNode}: Jackson's number hashes collide by design ({@code LongNode} hashes {@code (a << 32)
 * + a} to 0 for every {@code a}) and a {@code JsonNode} is not {@code Comparable}, so a hash bin of
 * them is scanned linearly. Colliding {@code String} keys land in a balanced tree ({@code String} is
 * comparable): a lookup costs O(log n) whatever values a client chooses.
 */
public final class SensitiveValues {
    /** No sensitive values. */
    public static final SensitiveValues NONE = new SensitiveValues(Set.of());

    private final Set<String> keys;

    private SensitiveValues(Set<String> keys) {
        this.keys = keys;
    }

    /** An empty, growing set. */
    static SensitiveValues collecting() {
        return new SensitiveValues(new HashSet<>());
    }

    /** Scalars worth hiding; booleans, nulls and empty strings reveal nothing and would over-mask. */
    static boolean isSecretLike(JsonNode leaf) {
        return (leaf.isTextual() && !leaf.asText().isEmpty()) || leaf.isNumber();
    }

    void add(JsonNode leaf) {
        keys.add(key(leaf));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Whether {@code node} is a secret-like scalar equal to one of these values. */
    public boolean contains(JsonNode node) {
        return node != null && !keys.isEmpty() && isSecretLike(node) && keys.contains(key(node));
    }

    /** The values of both sets (a new set). */
    public static SensitiveValues union(SensitiveValues a, SensitiveValues b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        Set<String> both = new HashSet<>(a.keys);
        both.addAll(b.keys);
        return new SensitiveValues(both);
    }

    public int size() {
        return keys.size();
    }

    /** A number and a string with the same text stay apart; numbers compare by their text as written. */
    private static String key(JsonNode leaf) {
        return (leaf.isTextual() ? "s:" : "n:") + leaf.asText();
    }
}
