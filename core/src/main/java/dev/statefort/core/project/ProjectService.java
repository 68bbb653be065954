package dev.statefort.core.project;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.Names;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Creates and lists projects. */
public final class ProjectService {
    public static final String DEFAULT_PROJECT = "default";

    private final MetadataStore metadata;
    private final Clock clock;

    public ProjectService(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** Reserved: {@code /tf/alias/{id}} is an alias address. */
    public static final String RESERVED_ALIAS = "alias";

    /** Creates the project; false if it already existed. */
    public boolean create(String name) {
        Names.require("project", name);
        if (name.equals(RESERVED_ALIAS)) {
            throw new InvalidInputException("the project name 'alias' is reserved (/tf/alias/... are alias addresses)");
        }
        return metadata.createProject(name, clock.instant());
    }

    /** The project of that name, if it exists. */
    public Optional<ProjectRecord> find(String name) {
        return metadata.findProject(name);
    }

    public List<ProjectRecord> list() {
        return metadata.listProjects();
    }
}
