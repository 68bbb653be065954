package dev.statefort.core.auth;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;

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
