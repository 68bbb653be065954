package dev.statefort.core.model;

import java.util.Objects;

/**
 * A search of the fleet's index.
 *
 * @param text (normalized as {@code SearchTerms.normalize} does) what an address, a name, an identifying value or an identity value starts with
 *     (ignoring case), or what the value after its last {@code /} or {@code :} starts with; empty: any
 * @param type only instances of this resource type, or null for any
 * @param scope only states in it
 * @param limit at most this many hits
 */
public record SearchQuery(String text, String type, ReadScope scope, int limit) {
    public SearchQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(scope, "scope");
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + PageRequest.MAX_LIMIT);
        }
    }
}
