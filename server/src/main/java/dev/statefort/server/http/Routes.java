package dev.statefort.server.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every endpoint the server answers, as {@code METHOD /path/{placeholder}}. The front handler lets
 * only requests matching an entry through (404 for an unknown path, 405 with Allow for a known path
 * and another method), so an endpoint is reachable only once it is listed here, and the
 * authorization matrix test fails for every entry it has no row for.
 */
final class Routes {
    /** A {@code {name}} segment matches any one non-empty path segment. */
    static final List<String> ALL = List.of(
            // the Terraform/OpenTofu http backend
            "GET /tf/{project}/{state}",
            "POST /tf/{project}/{state}",
            "PUT /tf/{project}/{state}",
            "DELETE /tf/{project}/{state}",
            "LOCK /tf/{project}/{state}",
            "UNLOCK /tf/{project}/{state}",
            "LOCK /tf/{project}/{state}/lock",
            "UNLOCK /tf/{project}/{state}/lock",
            "POST /tf/{project}/{state}/lock",
            "DELETE /tf/{project}/{state}/lock",
            // an alias address: the same backend, its own credentials, one state
            "GET /tf/alias/{id}",
            "POST /tf/alias/{id}",
            "PUT /tf/alias/{id}",
            "DELETE /tf/alias/{id}",
            "LOCK /tf/alias/{id}",
            "UNLOCK /tf/alias/{id}",
            "LOCK /tf/alias/{id}/lock",
            "UNLOCK /tf/alias/{id}/lock",
            "POST /tf/alias/{id}/lock",
            "DELETE /tf/alias/{id}/lock",
            // health
            "GET /healthz",
            "GET /readyz",
            // login sessions
            "GET /api/v1/session",
            "POST /api/v1/session",
            "DELETE /api/v1/session",
            // users and members
            "GET /api/v1/users",
            "POST /api/v1/users",
            "GET /api/v1/users/{user}",
            "DELETE /api/v1/users/{user}",
            "PUT /api/v1/users/{user}/password",
            "GET /api/v1/projects/{project}/members",
            "PUT /api/v1/projects/{project}/members/{user}",
            "DELETE /api/v1/projects/{project}/members/{user}",
            // tokens and aliases
            "GET /api/v1/tokens",
            "POST /api/v1/tokens",
            "DELETE /api/v1/tokens/{id}",
            "GET /api/v1/projects/{project}/aliases",
            "POST /api/v1/projects/{project}/aliases",
            "DELETE /api/v1/projects/{project}/aliases/{id}",
            "POST /api/v1/projects/{project}/aliases/{id}/rotate",
            // projects, settings, audit
            "GET /api/v1/projects",
            "POST /api/v1/projects",
            "GET /api/v1/projects/{project}/settings",
            "PUT /api/v1/projects/{project}/settings",
            "PATCH /api/v1/projects/{project}/settings",
            "GET /api/v1/audit",
            // states and their history
            "GET /api/v1/projects/{project}/states",
            "DELETE /api/v1/projects/{project}/states/{state}",
            "GET /api/v1/projects/{project}/states/{state}/versions",
            "GET /api/v1/projects/{project}/states/{state}/versions/{n}",
            "DELETE /api/v1/projects/{project}/states/{state}/versions/{n}",
            "GET /api/v1/projects/{project}/states/{state}/versions/{n}/content",
            "GET /api/v1/projects/{project}/states/{state}/versions/{n}/summary",
            "POST /api/v1/projects/{project}/states/{state}/versions/{n}/restore",
            "GET /api/v1/projects/{project}/states/{state}/resources",
            "GET /api/v1/projects/{project}/states/{state}/outputs",
            "GET /api/v1/projects/{project}/states/{state}/diff",
            "GET /api/v1/projects/{project}/states/{state}/sessions",
            "POST /api/v1/projects/{project}/states/{state}/sessions/{lockId}/revert",
            "GET /api/v1/projects/{project}/states/{state}/lock",
            "DELETE /api/v1/projects/{project}/states/{state}/lock",
            "GET /api/v1/projects/{project}/states/{state}/quarantine",
            "GET /api/v1/projects/{project}/states/{state}/quarantine/{n}",
            "DELETE /api/v1/projects/{project}/states/{state}/quarantine/{n}",
            "GET /api/v1/projects/{project}/states/{state}/quarantine/{n}/content",
            "GET /api/v1/projects/{project}/states/{state}/quarantine/{n}/diff",
            "POST /api/v1/projects/{project}/states/{state}/quarantine/{n}/promote",
            "POST /api/v1/projects/{project}/states/{state}/permit",
            "DELETE /api/v1/projects/{project}/states/{state}/permit",
            "GET /api/v1/projects/{project}/states/{state}/outputs-access",
            "PUT /api/v1/projects/{project}/states/{state}/outputs-access",
            // the web UI (HTML; a session cookie, else a redirect to the login page)
            "GET /",
            "GET /ui",
            "GET /ui/static/{file}",
            "GET /ui/login",
            "POST /ui/login",
            "POST /ui/logout",
            "GET /ui/password",
            "POST /ui/password",
            "GET /ui/",
            "GET /ui/projects/{project}",
            "GET /ui/projects/{project}/states/{state}",
            "POST /ui/projects/{project}/states/{state}/unlock",
            // the web UI's history pages
            "GET /ui/projects/{project}/states/{state}/versions/{n}",
            "GET /ui/projects/{project}/states/{state}/diff",
            "POST /ui/projects/{project}/states/{state}/versions/{n}/restore",
            "POST /ui/projects/{project}/states/{state}/sessions/{lockId}/revert",
            // the web UI's access pages (UiAccessRoutes)
            "GET /ui/tokens",
            "POST /ui/tokens",
            "POST /ui/tokens/{id}/revoke",
            "POST /ui/projects",
            "GET /ui/audit",
            "GET /ui/projects/{project}/tokens",
            "POST /ui/projects/{project}/connect",
            "GET /ui/projects/{project}/aliases",
            "POST /ui/projects/{project}/aliases",
            "POST /ui/projects/{project}/aliases/{id}/rotate",
            "POST /ui/projects/{project}/aliases/{id}/revoke",
            "GET /ui/projects/{project}/members",
            "POST /ui/projects/{project}/members",
            "POST /ui/projects/{project}/members/{user}/remove",
            "GET /ui/projects/{project}/settings",
            "POST /ui/projects/{project}/settings");

    private Routes() {}

    /** {@link #ALL}, parsed once: the method and the template's segments ({@code null} for a placeholder). */
    private record Route(String method, String[] segments) {
        static Route parse(String route) {
            int space = route.indexOf(' ');
            String[] segments = route.substring(space + 1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].startsWith("{") && segments[i].endsWith("}")) {
                    segments[i] = null;
                }
            }
            return new Route(route.substring(0, space), segments);
        }

        boolean matches(String[] path) {
            if (segments.length != path.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                if (segments[i] == null ? path[i].isEmpty() : !segments[i].equals(path[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Route> PARSED = ALL.stream().map(Route::parse).toList();

    /** Whether {@code method path} is a listed endpoint. */
    static boolean allows(String method, String path) {
        String[] segments = path.split("/", -1);
        return PARSED.stream().anyMatch(r -> r.method().equals(method) && r.matches(segments));
    }

    /** The methods listed for {@code path} (for 405's Allow header); empty when the path is unknown. */
    static Set<String> methodsFor(String path) {
        String[] segments = path.split("/", -1);
        Set<String> methods = new LinkedHashSet<>();
        for (Route r : PARSED) {
            if (r.matches(segments)) {
                methods.add(r.method());
            }
        }
        return methods;
    }
}
