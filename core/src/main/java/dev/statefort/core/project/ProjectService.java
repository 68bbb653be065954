package dev.statefort.core.project;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.storage.StorageProfiles;
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
    private final StorageProfiles profiles;

    /** New projects on {@code profiles.choose(requested)}: the profile asked for, or the default. */
    public ProjectService(MetadataStore metadata, AuditService audit, Clock clock, StorageProfiles profiles) {
        this.metadata = metadata;
        this.audit = audit;
        this.clock = clock;
        this.profiles = profiles;
    }

    /**
     * The one way a person creates a project (REST API, UI, CLI): needs a global admin, audited as
     * {@code project.create}. {@link ConflictException} if it exists.
     */
    public ProjectRecord create(Principal actor, String name) {
        return create(actor, name, null);
    }

    /**
     * {@link #create(Principal, String)} with its blobs on the storage profile {@code storage} (null:
     * the default profile); an unknown profile is invalid input. The profile is in the audit event.
     */
    public ProjectRecord create(Principal actor, String name, String storage) {
        if (!actor.isGlobalAdmin()) {
            throw new AccessDeniedException("creating projects needs a global admin");
        }
        String profile = profiles.choose(storage);
        if (!create(name, profile)) {
            throw new ConflictException("project '" + name + "' already exists");
        }
        audit.record(actor, AuditAction.PROJECT_CREATE, name, null, Map.of("storage", profile));
        return find(name).orElseThrow();
    }

    /** Reserved: {@code /tf/alias/{id}} is an alias address. */
    public static final String RESERVED_ALIAS = "alias";

    /** Creates the project without an actor or audit event (the first start's {@code default}); false if it existed. */
    public boolean create(String name) {
        return create(name, profiles.choose(null));
    }

    private boolean create(String name, String profile) {
        Names.require("project", name);
        if (name.equals(RESERVED_ALIAS)) {
            throw new InvalidInputException("the project name 'alias' is reserved (/tf/alias/... are alias addresses)");
        }
        return metadata.createProject(name, profile, clock.instant());
    }

    /** The project of that name, or 404. */
    public ProjectRecord require(String name) {
        return metadata.requireProject(name);
    }

    /** The project of that name, if it exists. */
    public Optional<ProjectRecord> find(String name) {
        return metadata.findProject(name);
    }

    public List<ProjectRecord> list() {
        return metadata.listProjects();
    }
}
