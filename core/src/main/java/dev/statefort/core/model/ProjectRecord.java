package dev.statefort.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A project: the namespace that holds states and scopes tokens.
 *
 * @param storage the storage profile its blobs live in: chosen when it is created, changed only by
 *     a finished move
 * @param movingTo the profile a move in progress copies its blobs to (new blobs already go there);
 *     null when no move is in progress
 */
public record ProjectRecord(String name, Instant createdAt, String storage, String movingTo) {
    /** The profile of the data directory's blob store, where every project created before profiles lives. */
    public static final String LOCAL_STORAGE = "local";

    public ProjectRecord {
        Objects.requireNonNull(storage, "storage");
    }

    /** A project on {@code storage} with no move in progress. */
    public ProjectRecord(String name, Instant createdAt, String storage) {
        this(name, createdAt, storage, null);
    }

    /** A project on the {@value #LOCAL_STORAGE} profile. */
    public ProjectRecord(String name, Instant createdAt) {
        this(name, createdAt, LOCAL_STORAGE);
    }

    /** The profile a new blob of this project goes to: the move's target while one is in progress. */
    public String placement() {
        return movingTo != null ? movingTo : storage;
    }
}
