package dev.statefort.core.lock;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Change freezes of a state or a whole project, the one way the REST API, the UI and the CLI put
 * and lift them: the project's admins; audited ({@code freeze.set}, {@code freeze.lift}). While one
 * is in force no new exclusive lock is granted and no write is accepted outside a lock already held;
 * reads and plan locks go on.
 */
public final class FreezeAdministration {
    static final int MAX_REASON_LENGTH = 500;

    private final MetadataStore metadata;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;

    public FreezeAdministration(MetadataStore metadata, ProjectService projects, AuditService audit, Clock clock) {
        this.metadata = metadata;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Freezes {@code state} of {@code project} (null: the whole project) for {@code reason} until
     * {@code until} (null: until lifted); replaces a freeze already there.
     */
    public Freeze freeze(Principal actor, String project, String state, String reason, Instant until) {
        requireAdmin(actor, project, state);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON_LENGTH) {
            throw new InvalidInputException(
                    "reason must be 1 to " + MAX_REASON_LENGTH + " characters: every" + " refused run shows it");
        }
        if (why.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("reason must be one line of text");
        }
        Instant now = clock.instant();
        if (until != null && !until.isAfter(now)) {
            throw new InvalidInputException("until must be in the future");
        }
        projects.require(project);
        Freeze freeze = new Freeze(project, state, why, actor.name(), now, until);
        metadata.freeze(freeze);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", why);
        if (until != null) {
            detail.put("until", until.toString());
        }
        audit.record(actor, AuditAction.FREEZE_SET, project, state, detail);
        return freeze;
    }

    /** Lifts the freeze of {@code state} (null: of the project); 404 when there is none. */
    public void lift(Principal actor, String project, String state) {
        requireAdmin(actor, project, state);
        if (!metadata.unfreeze(project, state)) {
            throw new NotFoundException((state == null ? "project '" + project + "'" : "state " + project + "/" + state)
                    + " is not frozen");
        }
        audit.record(actor, AuditAction.FREEZE_LIFT, project, state, Map.of());
    }

    /** The project's freezes in force (read): its own first, then its states' by name. */
    public List<Freeze> list(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.READ);
        projects.require(project);
        Instant now = clock.instant();
        return metadata.listFreezes(project).stream()
                .filter(f -> f.activeAt(now))
                .toList();
    }

    /** The freeze in force on a state (read), if any. */
    public java.util.Optional<Freeze> of(Principal actor, StateKey key) {
        Authorization.require(actor, key, Permission.READ);
        return metadata.findFreeze(key, clock.instant());
    }

    private static void requireAdmin(Principal actor, String project, String state) {
        Names.require("project", project);
        if (state == null) {
            Authorization.require(actor, project, Permission.ADMIN);
        } else {
            Authorization.require(actor, new StateKey(project, Names.require("state", state)), Permission.ADMIN);
        }
    }
}
