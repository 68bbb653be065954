package dev.statefort.core.admin;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.project.ProjectService;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State aliases ({@code /tf/alias/{id}} with a password): the one way to manage them; only the project's admins. */
public final class AliasAdministration {
    private final AliasService aliases;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;

    public AliasAdministration(AliasService aliases, ProjectService projects, AuditService audit, Clock clock) {
        this.aliases = aliases;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    public List<AliasRecord> list(Principal actor, String project) {
        requireAdmin(actor, project);
        return aliases.list(project);
    }

    /**
     * A new alias of a state of an existing project (its password is returned once), made by {@code
     * actor}: it works only while the actor's user and token still may grant it, and until its
     * expiry; audited as {@code alias.create}.
     */
    public AliasService.IssuedAlias create(Principal actor, String project, AliasForm form) {
        requireAdmin(actor, project);
        String state = Names.require("state", form.state());
        Instant expiresAt = Expiry.of(form.expiresInDays(), form.expiresInMinutes(), clock.instant());
        projects.require(project);
        StateKey key = new StateKey(project, state);
        AliasService.IssuedAlias issued = aliases.create(key, form.permission(), actor, expiresAt);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("alias", issued.alias().id());
        detail.put("permission", form.permission().wireName());
        if (issued.alias().expiresAt() != null) {
            detail.put("expiresAt", issued.alias().expiresAt().toString());
        }
        audit.record(actor, AuditAction.ALIAS_CREATE, key, detail);
        return issued;
    }

    /** {@link #create(Principal, String, AliasForm)} without an expiry of its own. */
    public AliasService.IssuedAlias create(Principal actor, String project, String stateName, Permission permission) {
        return create(actor, project, new AliasForm(stateName, permission));
    }

    /** Revokes an alias of {@code project} (404 if it has none of that ID or it is revoked); audited as {@code alias.revoke}. */
    public AliasRecord revoke(Principal actor, String project, String id) {
        AliasRecord alias = alias(actor, project, id);
        if (!aliases.revoke(alias.id())) {
            throw new NotFoundException("alias " + alias.id() + " is revoked already");
        }
        audit.record(actor, AuditAction.ALIAS_REVOKE, alias.state(), Map.of("alias", alias.id()));
        return alias;
    }

    /** Gives an alias a new password (returned once); audited as {@code alias.rotate}. */
    public AliasService.IssuedAlias rotate(Principal actor, String project, String id) {
        AliasRecord alias = alias(actor, project, id);
        AliasService.IssuedAlias rotated = aliases.rotate(alias.id());
        audit.record(actor, AuditAction.ALIAS_ROTATE, alias.state(), Map.of("alias", alias.id()));
        return rotated;
    }

    private AliasRecord alias(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        return aliases.find(id)
                .filter(a -> a.state().project().equals(project))
                .orElseThrow(() -> new NotFoundException("project '" + project + "' has no alias " + id));
    }

    private static void requireAdmin(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.ADMIN);
    }
}
