package dev.statefort.core.spi;

import dev.statefort.core.project.ProjectRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Projects. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface ProjectStore {
    // ---- projects -----------------------------------------------------------------------------

    /** Creates the project; returns false (and changes nothing) if it already exists. */
    boolean createProject(String name, Instant now);

    Optional<ProjectRecord> findProject(String name);

    List<ProjectRecord> listProjects();
}
