package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.DeletedUser;
import dev.statefort.core.auth.MembershipRecord;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.Role;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.core.auth.UserRecord;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.state.Names;
import dev.statefort.server.http.AccessViews.MemberView;
import dev.statefort.server.http.AccessViews.NewUserView;
import dev.statefort.server.http.AccessViews.SessionView;
import dev.statefort.server.http.AccessViews.UserView;
import dev.statefort.server.http.ApiViews.Items;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;

/**
 * Logins, users and project members: {@code /api/v1/session}, {@code /api/v1/users[/{u}[/password]]}
 * and {@code /api/v1/projects/{p}/members[/{u}]}.
 */
final class AccessApi {
    private final UserService users;
    private final SessionService sessions;
    private final AuditService audit;
    private final Authenticator authenticator;
    private final ObjectMapper json;

    AccessApi(
            UserService users,
            SessionService sessions,
            AuditService audit,
            Authenticator authenticator,
            ObjectMapper json) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.authenticator = authenticator;
        this.json = json;
    }

    // ---- session ----------------------------------------------------------------------------

    /** {@code GET /api/v1/session}: the session of the request's cookie (401 without one). */
    void currentSession(Exchange ex, Principal none, PathParams path) throws IOException {
        ActiveSession s =
                authenticator.session(ex).orElseThrow(() -> new AuthenticationRequiredException("not logged in"));
        ex.sendJson(200, json, view(s));
    }

    /** {@code DELETE /api/v1/session}: authenticates itself, with any credential (an outputs token too: 204). */
    void logout(Exchange ex, Principal none, PathParams path) throws IOException {
        logout(ex, authenticator.authenticate(ex)); // checks the CSRF token
        ex.sendEmpty(204);
    }

    /** {@code POST /api/v1/session}: credentials in the body. */
    void login(Exchange ex, Principal none, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        String username = body.path("username").asText(null);
        String password = body.path("password").asText(null);
        if (username == null || password == null) {
            throw new InvalidInputException("body must be {\"username\": ..., \"password\": ...}");
        }
        ActiveSession session = login(ex, username, password)
                .orElseThrow(() -> new AuthenticationRequiredException("wrong user name or password"));
        ex.sendJson(200, json, view(session));
    }

    /**
     * Logs in (the REST API's and the UI's one way): throttled per source address, audited, and on
     * success the session cookie is set on the response. A login another site's page sends (login
     * CSRF) never gets here: {@link BrowserRequestGuard} refuses it as any cross-site change. Empty: wrong user name or password.
     */
    Optional<ActiveSession> login(Exchange ex, String username, String password) {
        AuthFailureThrottle.PasswordAttempt attempt = authenticator.beginPasswordAttempt(ex, username);
        Optional<SessionService.IssuedSession> issued;
        try {
            issued = sessions.login(username, password);
        } catch (RuntimeException notChecked) {
            attempt.notChecked();
            throw notChecked;
        }
        if (issued.isEmpty()) {
            attempt.failed();
            audit.recordOutcome("user:" + safeName(username), "login", AuditEvent.DENIED, null, null, Map.of());
            return Optional.empty();
        }
        attempt.succeeded();
        audit.record("user:" + username, "login", null, null, Map.of());
        ex.addCookie(cookie(issued.get().cookieValue(), sessions.maxAge().toSeconds(), ex.secureCookies()));
        UserRecord user = users.find(username).orElseThrow();
        return Optional.of(new ActiveSession(issued.get().session(), user));
    }

    /** Ends the request's session (audited) and deletes its cookie; the caller already checked the CSRF token. */
    void logout(Exchange ex, Principal principal) {
        String cookie = ex.cookie(Authenticator.SESSION_COOKIE);
        if (cookie != null && sessions.logout(cookie)) {
            audit.record(principal.name(), "logout", null, null, Map.of());
        }
        ex.addCookie(cookie("", 0, ex.secureCookies()));
    }

    private SessionView view(ActiveSession s) {
        return new SessionView(
                s.user().name(),
                s.user().globalAdmin(),
                s.user().mustChangePassword(),
                s.session().csrfToken(),
                ApiViews.iso(s.session().createdAt().plus(sessions.maxAge())));
    }

    /** HttpOnly, SameSite=Lax, Secure on TLS; {@code maxAge} 0 deletes it. */
    private static HttpCookie cookie(String value, long maxAgeSeconds, boolean secure) {
        return HttpCookie.build(Authenticator.SESSION_COOKIE, value)
                .path("/")
                .httpOnly(true)
                .sameSite(HttpCookie.SameSite.LAX)
                .secure(secure)
                .maxAge(maxAgeSeconds)
                .build();
    }

    /** An attempted user name as it may appear in the audit log: a valid name, else a placeholder. */
    private static String safeName(String username) {
        return Names.isValid(username) ? username : "(invalid name)";
    }

    // ---- users ------------------------------------------------------------------------------

    // users: the route table lets only global admins in, but for a user's own password

    void listUsers(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200, json, new Items<>(users.list().stream().map(UserView::of).toList()));
    }

    void getUser(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, UserView.of(user(Names.require("user", path.get("user")))));
    }

    void deleteUser(Exchange ex, Principal principal, PathParams path) throws IOException {
        String name = Names.require("user", path.get("user"));
        DeletedUser deleted = users.delete(name);
        audit.record(principal.name(), "user.delete", null, null, UserService.auditDetail(name, deleted));
        ex.sendEmpty(204);
    }

    void createUser(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        String name = body.path("name").asText(null);
        if (name == null) {
            throw new InvalidInputException(
                    "body must be {\"name\": ..., \"password\"?: ..., \"globalAdmin\"?: false}");
        }
        String password =
                body.path("password").isTextual() ? body.path("password").asText() : null;
        UserService.NewUser created =
                users.create(name, password, body.path("globalAdmin").asBoolean(false));
        audit.record(
                principal.name(),
                "user.create",
                null,
                null,
                Map.of("user", name, "globalAdmin", created.user().globalAdmin()));
        ex.sendJson(
                201, json, new NewUserView(UserView.of(created.user()), password == null ? created.password() : null));
    }

    /** Users change their own password (giving the current one); a global admin sets anyone's, to be changed at login. */
    void setPassword(Exchange ex, Principal principal, PathParams path) throws IOException {
        String name = Names.require("user", path.get("user"));
        JsonNode body = ApiInput.readJson(ex, json);
        String password = body.path("password").asText(null);
        if (password == null) {
            throw new InvalidInputException("body must be {\"password\": ..., \"currentPassword\": ...}");
        }
        setPassword(ex, principal, name, password, body.path("currentPassword").asText(""));
        ex.sendEmpty(204);
    }

    /** The REST API's and the UI's one way to set a password; audited. */
    void setPassword(Exchange ex, Principal principal, String name, String password, String currentPassword) {
        boolean self = name.equals(principal.userName());
        if (self) {
            AuthFailureThrottle.PasswordAttempt attempt = authenticator.beginPasswordAttempt(ex, name);
            boolean right;
            try {
                right = users.verify(name, currentPassword).isPresent();
            } catch (RuntimeException notChecked) {
                attempt.notChecked();
                throw notChecked;
            }
            if (!right) {
                attempt.failed();
                throw new AccessDeniedException("the current password is wrong");
            }
            attempt.succeeded();
        } else {
            requireGlobalAdmin(principal, "setting another user's password");
            user(name);
        }
        users.setPassword(name, password, !self);
        audit.record(principal.name(), "user.password", null, null, Map.of("user", name));
    }

    private UserRecord user(String name) {
        return users.find(name).orElseThrow(() -> new NotFoundException("user '" + name + "' does not exist"));
    }

    // ---- members ----------------------------------------------------------------------------

    // members: the route table lets only the project's admins in

    void listMembers(Exchange ex, Principal principal, PathParams path) throws IOException {
        var members =
                members(principal, path.project()).stream().map(MemberView::of).toList();
        ex.sendJson(200, json, new Items<>(members));
    }

    void putMember(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        Role role = Role.parse(body.path("role").asText(""));
        ex.sendJson(200, json, MemberView.of(putMember(principal, path.project(), path.get("user"), role)));
    }

    void removeMember(Exchange ex, Principal principal, PathParams path) throws IOException {
        removeMember(principal, path.project(), path.get("user"));
        ex.sendEmpty(204);
    }

    /** A project's members and their roles, for its admins. */
    List<MembershipRecord> members(Principal principal, String project) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        return users.members(project);
    }

    /** The REST API's and the UI's one way to give a user a role in a project: project admin, audited. */
    MembershipRecord putMember(Principal principal, String project, String user, Role role) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        Names.require("user", user);
        MembershipRecord m = users.putMember(project, user, role);
        audit.record(principal.name(), "member.put", project, null, Map.of("user", user, "role", role.wireName()));
        return m;
    }

    /** The REST API's and the UI's one way to remove a member: project admin, audited. */
    void removeMember(Principal principal, String project, String user) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        Names.require("user", user);
        if (!users.removeMember(project, user)) {
            throw new NotFoundException("user '" + user + "' is not a member of project '" + project + "'");
        }
        audit.record(principal.name(), "member.remove", project, null, Map.of("user", user));
    }

    static void requireGlobalAdmin(Principal principal, String what) {
        if (!principal.isGlobalAdmin()) {
            throw new AccessDeniedException(what + " needs a global admin");
        }
    }
}
