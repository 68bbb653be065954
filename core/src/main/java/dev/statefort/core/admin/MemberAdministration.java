package dev.statefort.core.admin;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import java.util.List;
import java.util.Map;

/** Who has which role in a project: the one way for the REST API, the UI and the CLI; only the project's admins. */
public final class MemberAdministration {
    private final UserService users;
    private final AuditService audit;

    public MemberAdministration(UserService users, AuditService audit) {
        this.users = users;
        this.audit = audit;
    }

    /** A project's members and their roles. */
    public List<MembershipRecord> members(Principal actor, String project) {
        requireAdmin(actor, project);
        return users.members(project);
    }

    /** Gives {@code user} {@code role} in {@code project} (replacing the one they had); audited as {@code member.put}. */
    public MembershipRecord put(Principal actor, String project, String user, Role role) {
        requireAdmin(actor, project);
        Names.require("user", user);
        MembershipRecord m = users.putMember(project, user, role);
        audit.record(actor, AuditAction.MEMBER_PUT, project, null, Map.of("user", user, "role", role.wireName()));
        return m;
    }

    /** Takes {@code user}'s role in {@code project} away (404 if they had none); audited as {@code member.remove}. */
    public void remove(Principal actor, String project, String user) {
        requireAdmin(actor, project);
        Names.require("user", user);
        if (!users.removeMember(project, user)) {
            throw new NotFoundException("user '" + user + "' is not a member of project '" + project + "'");
        }
        audit.record(actor, AuditAction.MEMBER_REMOVE, project, null, Map.of("user", user));
    }

    private static void requireAdmin(Principal actor, String project) {
        Names.require("project", project);
        Authorization.require(actor, project, Permission.ADMIN);
    }
}
