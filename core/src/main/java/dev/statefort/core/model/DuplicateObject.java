package dev.statefort.core.model;

import java.util.List;

/**
 * One object that more than one state manages.
 *
 * @param type the resource type
 * @param key what identifies it: {@code identity ...}, {@code arn=...} or {@code id=...}
 * @param owners every instance that manages it, by state then address
 */
public record DuplicateObject(String type, String key, List<Owner> owners) {
    public DuplicateObject {
        owners = List.copyOf(owners);
    }

    /** A state and the address it manages the object under. */
    public record Owner(StateKey state, String address) {}
}
