package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.admin.MemberAdministration;
import dev.statefort.core.admin.UserAdministration;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.PasswordAttempt;
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
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;

/**
 * Logins, users and project members: {@code /api/v1/session}, {@code /api/v1/users[/{u}[/password]]}
 * and {@code /api/v1/projects/{p}/members[/{u}]}.
 */
final class AccessApi {
    private final UserService users;
    private final UserAdministration userAdmin;
    private final MemberAdministration memberAdmin;
    private final SessionService sessions;
    private final AuditService audit;
    private final Authenticator authenticator;
    private final ObjectMapper json;

    AccessApi(
            UserService users,
            UserAdministration userAdmin,
            MemberAdministration memberAdmin,
            SessionService sessions,
            AuditService audit,
            Authenticator authenticator,
            ObjectMapper json) {
        this.users = users;
        this.userAdmin = userAdmin;
        this.memberAdmin = memberAdmin;
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
        PasswordAttempt attempt = authenticator.beginPasswordAttempt(ex, username);
        Optional<SessionService.IssuedSession> issued;
        try {
            issued = sessions.login(username, password);
        } catch (RuntimeException notChecked) {
            attempt.notChecked();
            throw notChecked;
        }
        if (issued.isEmpty()) {
            attempt.failed();
            audit.recordOutcome(
                    "user:" + safeName(username), AuditAction.LOGIN, AuditEvent.DENIED, null, null, Map.of());
            return Optional.empty();
        }
        attempt.succeeded();
        audit.record("user:" + username, AuditAction.LOGIN, null, null, Map.of());
        ex.addCookie(cookie(issued.get().cookieValue(), sessions.maxAge().toSeconds(), ex.secureCookies()));
        UserRecord user = users.find(username).orElseThrow();
        return Optional.of(new ActiveSession(issued.get().session(), user));
    }

    /** Ends the request's session (audited) and deletes its cookie; the caller already checked the CSRF token. */
    void logout(Exchange ex, Principal principal) {
        String cookie = ex.cookie(Authenticator.SESSION_COOKIE);
        if (cookie != null && sessions.logout(cookie)) {
            audit.record(principal.name(), AuditAction.LOGOUT, null, null, Map.of());
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
                200,
                json,
                new Items<>(userAdmin.list(principal).stream().map(UserView::of).toList()));
    }

    void getUser(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, UserView.of(userAdmin.user(principal, path.get("user"))));
    }

    void deleteUser(Exchange ex, Principal principal, PathParams path) throws IOException {
        userAdmin.delete(principal, path.get("user"));
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
        UserService.NewUser created = userAdmin.create(
                principal, name, password, body.path("globalAdmin").asBoolean(false));
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

    /** Sets a password through {@link UserAdministration}, a user's own check of the current one throttled by source. */
    void setPassword(Exchange ex, Principal principal, String name, String password, String currentPassword) {
        PasswordAttempt attempt = name.equals(principal.userName())
                ? authenticator.beginPasswordAttempt(ex, name)
                : PasswordAttempt.UNCOUNTED;
        userAdmin.setPassword(principal, name, password, currentPassword, attempt);
    }

    // ---- members ----------------------------------------------------------------------------

    // members: the route table lets only the project's admins in

    void listMembers(Exchange ex, Principal principal, PathParams path) throws IOException {
        var members = memberAdmin.members(principal, path.project()).stream()
                .map(MemberView::of)
                .toList();
        ex.sendJson(200, json, new Items<>(members));
    }

    void putMember(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        Role role = Role.parse(body.path("role").asText(""));
        ex.sendJson(200, json, MemberView.of(memberAdmin.put(principal, path.project(), path.get("user"), role)));
    }

    void removeMember(Exchange ex, Principal principal, PathParams path) throws IOException {
        memberAdmin.remove(principal, path.project(), path.get("user"));
        ex.sendEmpty(204);
    }
}
