package dev.statefort.core.spi;

import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProjectRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Projects. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface ProjectStore {
    // ---- projects -----------------------------------------------------------------------------

    /**
     * Creates the project with its blobs on the storage profile {@code storage}; returns false (and
     * changes nothing, whatever profile was asked for) if it already exists.
     */
    boolean createProject(String name, String storage, Instant now);

    /** {@link #createProject(String, String, Instant)} on the {@link ProjectRecord#LOCAL_STORAGE} profile. */
    default boolean createProject(String name, Instant now) {
        return createProject(name, ProjectRecord.LOCAL_STORAGE, now);
    }

    Optional<ProjectRecord> findProject(String name);

    /** The project of that name, or {@link ProjectNotFoundException} (404): what every use case on a project checks. */
    default ProjectRecord requireProject(String name) {
        return findProject(name).orElseThrow(() -> new ProjectNotFoundException(name));
    }

    /**
     * Starts moving the project's blobs to the profile {@code to}: sets {@link
     * ProjectRecord#movingTo()} only if the project is on {@code from} and no move is in progress;
     * false (nothing changed) otherwise, or when the project does not exist.
     */
    boolean beginStorageMove(String project, String from, String to);

    /**
     * Finishes the move to {@code to}: the project's storage becomes {@code to} and no move is in
     * progress, only if a move to {@code to} is in progress; false (nothing changed) otherwise.
     */
    boolean finishStorageMove(String project, String to);

    List<ProjectRecord> listProjects();
}
