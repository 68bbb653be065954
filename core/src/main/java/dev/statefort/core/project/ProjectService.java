package dev.statefort.core.project;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.Names;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates and lists projects. */
public final class ProjectService {
    public static final String DEFAULT_PROJECT = "default";

    private final MetadataStore metadata;
    private final AuditService audit;
    private final Clock clock;

    public ProjectService(MetadataStore metadata, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The one way a person creates a project (REST API, UI, CLI): needs a global admin, audited as
     * {@code project.create}. {@link ConflictException} if it exists.
     */
    public ProjectRecord create(Principal actor, String name) {
        if (!actor.isGlobalAdmin()) {
            throw new AccessDeniedException("creating projects needs a global admin");
        }
        if (!create(name)) {
            throw new ConflictException("project '" + name + "' already exists");
        }
        audit.record(actor.name(), AuditAction.PROJECT_CREATE, name, null, Map.of());
        return find(name).orElseThrow();
    }

    /** Reserved: {@code /tf/alias/{id}} is an alias address. */
    public static final String RESERVED_ALIAS = "alias";

    /** Creates the project without an actor or audit event (the first start's {@code default}); false if it existed. */
    public boolean create(String name) {
        Names.require("project", name);
        if (name.equals(RESERVED_ALIAS)) {
            throw new InvalidInputException("the project name 'alias' is reserved (/tf/alias/... are alias addresses)");
        }
        return metadata.createProject(name, clock.instant());
    }

    /** Throws {@link ProjectNotFoundException} (404) unless {@code project} exists. */
    public static void requireExists(MetadataStore metadata, String project) {
        if (metadata.findProject(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
    }

    /** The project of that name, if it exists. */
    public Optional<ProjectRecord> find(String name) {
        return metadata.findProject(name);
    }

    public List<ProjectRecord> list() {
        return metadata.listProjects();
    }
}
