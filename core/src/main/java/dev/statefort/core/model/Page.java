package dev.statefort.core.model;

import java.util.List;

/**
 * One page of items; {@code nextBefore} is the {@link PageRequest#before()} for the next page, or
 * null when this is the last page.
 */
public record Page<T>(List<T> items, Long nextBefore) {
    public Page {
        items = List.copyOf(items);
    }
}
