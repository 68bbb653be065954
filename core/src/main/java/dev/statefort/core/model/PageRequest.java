package dev.statefort.core.model;

/**
 * Keyset paging over versions, newest first.
 *
 * @param limit at most this many items, 1..1000
 * @param before only versions whose number is strictly lower than this; null = from the newest
 */
public record PageRequest(int limit, Long before) {
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }
}
