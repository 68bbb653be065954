package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How much one diff may list: at most {@code maxChanges} attribute changes and about {@code maxBytes}
 * of their paths and values. Once spent, the diff stops looking and says it is truncated. What was
 * not part of the result: the diff cache weighs results with {@link HeapWeight}.
 */
final class DiffBudget {
    /** Per change: the record, its path string and two references. */
    private static final long CHANGE_OVERHEAD = 96;

    private final int maxChanges;
    private final long maxBytes;
    private int changes;
    private long bytes;
    private boolean truncated;

    DiffBudget(int maxChanges, long maxBytes) {
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
    }

    /** Whether nothing more may be listed. */
    boolean spent() {
        return truncated;
    }

    /**
     * Takes room for one change (an attribute's path and leaves, or an output's name and values);
     * false (and the diff is truncated from here) when there is none.
     */
    boolean take(int pathLength, JsonNode before, JsonNode after) {
        long cost = CHANGE_OVERHEAD + 2L * pathLength + size(before) + size(after);
        if (truncated || changes >= maxChanges || bytes + cost > maxBytes) {
            truncated = true;
            return false;
        }
        changes++;
        bytes += cost;
        return true;
    }

    boolean truncated() {
        return truncated;
    }

    private static long size(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return 0;
        }
        if (value.isContainerNode()) {
            return HeapWeight.of(value); // an output's value: a whole subtree
        }
        return value.isTextual() ? 40 + 2L * value.textValue().length() : 24;
    }
}
