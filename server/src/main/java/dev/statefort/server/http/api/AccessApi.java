package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.admin.MemberAdministration;
import dev.statefort.core.admin.UserAdministration;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Role;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.Logins;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.AccessViews.MemberView;
import dev.statefort.server.http.api.AccessViews.NewUserView;
import dev.statefort.server.http.api.AccessViews.SessionView;
import dev.statefort.server.http.api.AccessViews.UserView;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;

/**
 * Logins, users and project members: {@code /api/v1/session}, {@code /api/v1/users[/{u}[/password]]}
 * and {@code /api/v1/projects/{p}/members[/{u}]}.
 */
public final class AccessApi {
    private final Logins logins;
    private final UserAdministration userAdmin;
    private final MemberAdministration memberAdmin;
    private final SessionService sessions;
    private final Authenticator authenticator;
    private final ObjectMapper json;

    public AccessApi(Logins logins, AccessUseCases access, Authenticator authenticator, ObjectMapper json) {
        this.logins = logins;
        this.userAdmin = access.userAdmin();
        this.memberAdmin = access.memberAdmin();
        this.sessions = access.sessions();
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
        logins.logout(ex, authenticator.authenticate(ex)); // checks the CSRF token
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
        ActiveSession session = logins.login(ex, username, password)
                .orElseThrow(() -> new AuthenticationRequiredException("wrong user name or password"));
        ex.sendJson(200, json, view(session));
    }

    private SessionView view(ActiveSession s) {
        return new SessionView(
                s.user().name(),
                s.user().globalAdmin(),
                s.user().mustChangePassword(),
                s.session().csrfToken(),
                ApiViews.iso(s.session().createdAt().plus(sessions.maxAge())));
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
        logins.setPassword(
                ex, principal, name, password, body.path("currentPassword").asText(""));
        ex.sendEmpty(204);
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
