package dev.statefort.core.project;

import java.time.Instant;
import java.util.Objects;

/**
 * A project: the namespace that holds states and scopes tokens.
 *
 * @param storage the storage profile its blobs live in, fixed when it is created
 */
public record ProjectRecord(String name, Instant createdAt, String storage) {
    /** The profile of the data directory's blob store, where every project created before profiles lives. */
    public static final String LOCAL_STORAGE = "local";

    public ProjectRecord {
        Objects.requireNonNull(storage, "storage");
    }

    /** A project on the {@value #LOCAL_STORAGE} profile. */
    public ProjectRecord(String name, Instant createdAt) {
        this(name, createdAt, LOCAL_STORAGE);
    }
}
