package dev.statefort.server.http;

import dev.statefort.core.model.Permission;
import dev.statefort.server.http.MatrixCallers.Caller;
import dev.statefort.server.http.MatrixCallers.Kind;
import dev.statefort.server.http.MatrixEndpoints.Needs;
import dev.statefort.server.http.MatrixEndpoints.Row;
import java.util.Set;

/** What the matrix expects of a caller at an endpoint, derived from the row's needs and the caller's rights. */
final class MatrixExpectations {
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    enum Expected {
        /** 401. */
        UNAUTHENTICATED,
        /** The row's denial status (403, or 404 where existence is hidden). */
        DENIED,
        /** 403 whatever the row: the credentials themselves were refused (bad token, missing CSRF token). */
        REFUSED,
        /** A web UI page's answer to no session: 303 to the login page. */
        LOGIN_REDIRECT,
        /** Neither 401 nor 403 (nor, on a UI page, a redirect to the login page). */
        ALLOWED
    }

    private MatrixExpectations() {}

    static Expected expected(Row row, Caller c) {
        Needs needs = row.needs();
        if (needs == Needs.NOTHING || needs == Needs.LOGIN) {
            return Expected.ALLOWED;
        }
        if (needs == Needs.ALIAS_WRITE || needs == Needs.ALIAS_ADMIN) {
            return switch (c.kind()) {
                case NONE, SESSION -> Expected.UNAUTHENTICATED; // an alias address looks at Basic auth only
                case BAD, TOKEN -> Expected.REFUSED;
                case ALIAS -> needs == Needs.ALIAS_WRITE ? Expected.ALLOWED : Expected.DENIED;
            };
        }
        if (needs.ui()) {
            if (c.kind() != Kind.SESSION) {
                return Expected.LOGIN_REDIRECT; // the UI looks at the session cookie only
            }
            if (!c.csrf() && !SAFE.contains(row.method())) {
                return Expected.REFUSED;
            }
            return allowed(row, c) ? Expected.ALLOWED : Expected.DENIED;
        }
        if (needs == Needs.SESSION) {
            return c.kind() == Kind.SESSION ? Expected.ALLOWED : Expected.UNAUTHENTICATED;
        }
        switch (c.kind()) {
            case NONE -> {
                return Expected.UNAUTHENTICATED;
            }
            case BAD, ALIAS -> {
                return Expected.REFUSED; // an alias's password is no token
            }
            case SESSION -> {
                if (!c.csrf() && !SAFE.contains(row.method())) {
                    return Expected.REFUSED;
                }
            }
            case TOKEN -> {
                if (row.route().contains(" /api/v1/")
                        && !row.route().endsWith(" /api/v1/session") // logging out ends no token: 204 for anyone
                        && c.inDefault() == Permission.OUTPUTS
                        && !c.everywhere()) {
                    return Expected.REFUSED; // an outputs token reaches nothing under /api/v1
                }
                if (row.route().contains(" /api/v1/tokens") && !isAdminTokenOfAWholeProject(c)) {
                    return Expected.REFUSED; // token management: a session, the CLI or an admin token
                }
            }
        }
        return allowed(row, c) ? Expected.ALLOWED : Expected.DENIED;
    }

    /** A token that may act as admin (after its owner's role caps it) on a whole project, or everywhere. */
    private static boolean isAdminTokenOfAWholeProject(Caller c) {
        return c.onlyState() == null && (c.everywhere() || c.inDefault() == Permission.ADMIN);
    }

    private static boolean allowed(Row row, Caller c) {
        return switch (row.needs()) {
            case ANY -> true;
            case ANY_IN_PROJECT -> c.inDefault() != null;
            case GLOBAL_ADMIN -> c.everywhere();
            case USER_OR_GLOBAL_ADMIN -> c.user() != null || c.everywhere();
            case SELF_OR_GLOBAL_ADMIN -> "viewer".equals(c.user()) || c.everywhere();
            case TOKEN_CREATE -> c.user() != null ? has(row, c, Permission.OUTPUTS) : has(row, c, Permission.ADMIN);
            case OUTPUTS -> has(row, c, Permission.OUTPUTS);
            case READ -> has(row, c, Permission.READ);
            case WRITE -> has(row, c, Permission.WRITE);
            case ADMIN, UI_ADMIN -> has(row, c, Permission.ADMIN);
            case UI_SESSION -> true;
            case UI_READ -> has(row, c, Permission.READ);
            case UI_WRITE -> has(row, c, Permission.WRITE);
            case UI_GLOBAL_ADMIN -> c.everywhere();
            default -> throw new IllegalStateException("handled above: " + row.needs());
        };
    }

    /** Whether the caller has {@code needed} where the row acts (its state, or project {@code default} as a whole). */
    private static boolean has(Row row, Caller c, Permission needed) {
        if (c.onlyState() != null && !c.onlyState().equals(row.state())) {
            return false;
        }
        return c.inDefault() != null && c.inDefault().includes(needed);
    }
}
