package dev.statefort.core.auth;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.ProjectStore;

/**
 * The permission checks every use case makes before it looks anything up. A refusal uses the same
 * words whether or not the project or state exists, so a 403 reveals nothing.
 */
public final class Authorization {
    private Authorization() {}

    /** Throws 403 unless {@code principal} may do {@code needed} on the state {@code key}. */
    public static void require(Principal principal, StateKey key, Permission needed) {
        if (!principal.allows(key, needed)) {
            throw denied(
                    principal,
                    key.project(),
                    needed,
                    principal.onlyState() != null && !principal.onlyState().equals(key));
        }
    }

    /** Throws 403 unless {@code principal} may do {@code needed} in {@code project} as a whole. */
    public static void require(Principal principal, String project, Permission needed) {
        if (!principal.allows(project, needed)) {
            throw denied(principal, project, needed, principal.onlyState() != null);
        }
    }

    /**
     * The first line of every use case on a state: 403 unless {@code principal} may do {@code
     * needed} on {@code key}, then 404 unless its project exists (in that order, so a refusal
     * reveals nothing). Returns the project.
     */
    public static ProjectRecord requireOn(Principal principal, StateKey key, Permission needed, ProjectStore projects) {
        require(principal, key, needed);
        return projects.requireProject(key.project());
    }

    /** {@link #requireOn(Principal, StateKey, Permission, ProjectStore)} for a use case on a whole project. */
    public static ProjectRecord requireOn(
            Principal principal, String project, Permission needed, ProjectStore projects) {
        require(principal, project, needed);
        return projects.requireProject(project);
    }

    /** Throws 403 unless {@code principal} is a global admin; {@code what} names the action in the message. */
    public static void requireGlobalAdmin(Principal principal, String what) {
        if (!principal.isGlobalAdmin()) {
            throw new AccessDeniedException(what + " needs a global admin");
        }
    }

    private static AccessDeniedException denied(
            Principal principal, String project, Permission needed, boolean otherState) {
        if (otherState) {
            return new AccessDeniedException(
                    "this credential is valid for the state " + principal.onlyState() + " only");
        }
        Permission has = principal.permissionIn(project);
        if (has == null) {
            return new AccessDeniedException("this credential is not valid for project '" + project + "'");
        }
        return new AccessDeniedException("this credential has permission '" + has.wireName() + "' in project '"
                + project + "'; this request needs '" + needed.wireName() + "'");
    }
}
