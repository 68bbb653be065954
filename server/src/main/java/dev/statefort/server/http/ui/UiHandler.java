package dev.statefort.server.http.ui;

import static dev.statefort.core.model.Permission.ADMIN;
import static dev.statefort.core.model.Permission.READ;
import static dev.statefort.core.model.Permission.WRITE;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.server.http.Access;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.Logins;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.Surface;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The web UI under {@code /ui/}: server-rendered pages (JTE) with htmx, for users logged in with a
 * session cookie. Whoever has no session is sent to the login page (303); forms carry the CSRF
 * token in {@code _csrf} (the upload form in its address, so its body is read only once the request
 * is authorized), htmx sends it as {@code X-CSRF-Token}. Permissions are checked exactly as
 * the REST API checks them (each route's {@link Access}, then core's use cases); the route table below is
 * where each page is; the pages themselves are in {@link UiPages} and its siblings.
 */
public final class UiHandler implements Surface<UiHandler.Endpoint> {
    static final String PREFIX = "/ui/";
    static final String LOGIN = "/ui/login";
    private static final String UPLOAD = "/ui/projects/{project}/upload";
    /** The routes whose multipart form may carry a state file (up to the state size limit). */
    private static final java.util.Set<String> UPLOADS = java.util.Set.of(UPLOAD, UPLOAD + "/check");
    /** Where a login may send the user on: a UI path, no scheme, host or query (no open redirect). */
    private static final Pattern NEXT = Pattern.compile("/ui/[A-Za-z0-9._~/-]*");
    /** Fixed notices a redirect may ask for by code; no text from the request is ever shown as a notice. */
    private static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("password", "Your password was changed."),
            Map.entry("logged-out", "You are logged out."),
            Map.entry("unlocked", "The lock was released."),
            Map.entry("not-locked", "The state was not locked (any more): nothing was released."),
            // history
            Map.entry("restored", "The version was restored: a copy of it is the current version now."),
            Map.entry("uploaded", "The file was uploaded: it is the current version now."),
            Map.entry("reverted", "The session was reverted: the version before it is the current version now."),
            // access pages
            Map.entry("token-revoked", "The token was revoked: it no longer works."),
            Map.entry("alias-revoked", "The alias was revoked: its address and password no longer work."),
            Map.entry("trust-policy-created", "The trust policy was created."),
            Map.entry("trust-policy-deleted", "The trust policy was deleted: tokens it let in no longer work."),
            Map.entry("rule-created", "The protection rule was created."),
            Map.entry(
                    "rule-deleted",
                    "The protection rule was deleted: the states it protected are open to every writer."),
            Map.entry("frozen", "Frozen: no new apply gets the lock until the freeze is lifted."),
            Map.entry("unfrozen", "The freeze was lifted."),
            Map.entry("webhook-pinged", "A ping was queued: the delivery log below shows how it went."),
            Map.entry(
                    "surgery",
                    "The surgery is done: each state it changed has a new version (revert its session to undo it)."),
            Map.entry("webhook-deleted", "The webhook was deleted: its undelivered events went with it."),
            Map.entry("webhook-redelivered", "The event was queued again."),
            Map.entry("member-saved", "The member's role was saved."),
            Map.entry("member-removed", "The member was removed from the project."),
            Map.entry("settings-saved", "The settings were saved."),
            Map.entry("project-created", "The project was created."));

    /** What answers one UI route; {@code chrome} and {@code principal} are null on a route open to anyone. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange ex, Chrome chrome, Principal principal, PathParams path) throws IOException;
    }

    private final Authenticator authenticator;
    private final Logins logins;
    private final UiView view;
    private final RouteTable<Endpoint> routes;

    public UiHandler(
            Authenticator authenticator,
            Logins logins,
            UiPages pages,
            UiStatic statics,
            UiView view,
            UiHistoryPages history,
            UiCredentialPages credentials,
            UiTrustPages trust,
            UiLockPolicyPages lockPolicies,
            UiWebhookPages webhooks,
            UiFleetPages fleet,
            UiSurgeryPages surgery,
            UiProjectAdminPages admin,
            UiUploadPages uploads) {
        this.authenticator = authenticator;
        this.logins = logins;
        this.view = view;
        String p = "/ui/projects/{project}";
        String s = p + "/states/{state}";
        this.routes = RouteTable.<Endpoint>builder()
                // no session needed
                .add("GET", "/", Access.anyone(), (ex, c, who, path) -> ex.redirect(PREFIX))
                .add("GET", "/ui", Access.anyone(), (ex, c, who, path) -> ex.redirect(PREFIX))
                .add("GET", UiStatic.ROUTE, Access.anyone(), (ex, c, who, path) -> statics.send(ex, path.get("file")))
                .add("GET", LOGIN, Access.anyone(), (ex, c, who, path) -> loginPage(ex))
                .add("POST", LOGIN, Access.anyone(), (ex, c, who, path) -> login(ex))
                // a session: without one, the login page
                .add("POST", "/ui/logout", Access.signedIn(), (ex, c, who, path) -> logout(ex, who))
                .add("GET", "/ui/password", Access.signedIn(), (ex, c, who, path) -> passwordPage(ex, c))
                .add("POST", "/ui/password", Access.signedIn(), (ex, c, who, path) -> changePassword(ex, c, who))
                .add("GET", PREFIX, Access.signedIn(), (ex, c, who, path) -> pages.projects(ex, c, who))
                .add("GET", p, Access.project(READ), (ex, c, who, path) -> pages.project(ex, c, who, path.project()))
                .add("GET", s, Access.state(READ), (ex, c, who, path) -> pages.state(ex, c, who, path.state()))
                .add(
                        "POST",
                        s + "/unlock",
                        Access.state(ADMIN),
                        (ex, c, who, path) -> pages.forceUnlock(ex, who, path.state()))
                // uploads (multipart forms)
                .add(
                        "POST",
                        UPLOAD + "/check",
                        Access.project(WRITE),
                        (ex, c, who, path) -> uploads.check(ex, c, who, path.project()))
                .add(
                        "POST",
                        UPLOAD,
                        Access.project(WRITE),
                        (ex, c, who, path) -> uploads.upload(ex, c, who, path.project()))
                // history
                .add(
                        "GET",
                        s + "/versions/{n}",
                        Access.state(READ),
                        (ex, c, who, path) -> history.version(ex, c, who, path.state(), path.number("n")))
                .add(
                        "GET",
                        s + "/diff",
                        Access.state(READ),
                        (ex, c, who, path) -> history.diff(ex, c, who, path.state()))
                .add(
                        "POST",
                        s + "/versions/{n}/restore",
                        Access.state(ADMIN),
                        (ex, c, who, path) -> history.restore(ex, c, who, path.state(), path.number("n")))
                .add(
                        "POST",
                        s + "/sessions/{lockId}/revert",
                        Access.state(ADMIN),
                        (ex, c, who, path) -> history.revert(ex, c, who, path.state(), path.get("lockId")))
                // tokens, aliases, members, settings, audit, new projects
                .add("GET", "/ui/tokens", Access.signedIn(), (ex, c, who, path) -> credentials.tokens(ex, c, who, null))
                .add("POST", "/ui/tokens", Access.signedIn(), (ex, c, who, path) -> credentials.createToken(ex, c, who))
                .add(
                        "POST",
                        "/ui/tokens/{id}/revoke",
                        Access.signedIn(),
                        (ex, c, who, path) -> credentials.revokeToken(ex, who, path.get("id")))
                .add(
                        "POST",
                        "/ui/projects",
                        Access.globalAdmin("creating projects"),
                        (ex, c, who, path) -> admin.createProject(ex, who))
                .add("GET", "/ui/audit", Access.signedIn(), (ex, c, who, path) -> admin.audit(ex, c, who))
                // the fleet: only the states the user may read
                .add("GET", "/ui/search", Access.signedIn(), (ex, c, who, path) -> fleet.search(ex, c, who))
                .add("GET", UiFleetPages.FLEET, Access.signedIn(), (ex, c, who, path) -> fleet.states(ex, c, who))
                .add(
                        "GET",
                        UiFleetPages.FLEET + "/export",
                        Access.signedIn(),
                        (ex, c, who, path) -> fleet.export(ex, who))
                .add(
                        "GET",
                        UiFleetPages.FLEET + "/duplicates",
                        Access.signedIn(),
                        (ex, c, who, path) -> fleet.duplicates(ex, c, who))
                .add(
                        "GET",
                        s + "/readers",
                        Access.state(READ),
                        (ex, c, who, path) -> fleet.readers(ex, c, who, path.state()))
                .add(
                        "GET",
                        s + "/surgery",
                        Access.state(WRITE),
                        (ex, c, who, path) -> surgery.select(ex, c, who, path.state()))
                .add(
                        "POST",
                        s + "/surgery/preview",
                        Access.state(WRITE),
                        (ex, c, who, path) -> surgery.preview(ex, c, who, path.state()))
                .add(
                        "POST",
                        s + "/surgery",
                        Access.state(WRITE),
                        (ex, c, who, path) -> surgery.perform(ex, c, who, path.state()))
                .add(
                        "GET",
                        "/ui/storage",
                        Access.globalAdmin("listing storage profiles"),
                        (ex, c, who, path) -> admin.storage(ex, c, who))
                .add(
                        "GET",
                        p + "/tokens",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> credentials.tokens(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/connect",
                        Access.project(WRITE),
                        (ex, c, who, path) -> credentials.connectToken(ex, c, who, path.project()))
                .add(
                        "GET",
                        p + "/aliases",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> credentials.aliases(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/aliases",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> credentials.createAlias(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/aliases/{id}/rotate",
                        Access.project(ADMIN),
                        (ex, c, who, path) ->
                                credentials.aliasAction(ex, c, who, path.project(), path.get("id"), "rotate"))
                .add(
                        "POST",
                        p + "/aliases/{id}/revoke",
                        Access.project(ADMIN),
                        (ex, c, who, path) ->
                                credentials.aliasAction(ex, c, who, path.project(), path.get("id"), "revoke"))
                .add(
                        "GET",
                        p + "/trust-policies",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> trust.list(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/trust-policies",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> trust.create(ex, who, path.project()))
                .add(
                        "POST",
                        p + "/trust-policies/{id}/delete",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> trust.delete(ex, who, path.project(), path.get("id")))
                .add(
                        "GET",
                        p + "/protection",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> lockPolicies.page(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/protection/rules",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> lockPolicies.createRule(ex, who, path.project()))
                .add(
                        "POST",
                        p + "/protection/rules/{number}/delete",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> lockPolicies.deleteRule(ex, who, path.project(), path.get("number")))
                .add(
                        "POST",
                        p + "/protection/freeze",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> lockPolicies.freezeProject(ex, who, path.project()))
                .add(
                        "POST",
                        p + "/protection/unfreeze",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> lockPolicies.liftProject(ex, who, path.project()))
                .add(
                        "GET",
                        p + "/webhooks",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.page(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/webhooks",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.create(ex, c, who, path.project()))
                .add(
                        "GET",
                        p + "/webhooks/{id}",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.deliveries(ex, c, who, path.project(), path.get("id")))
                .add(
                        "POST",
                        p + "/webhooks/{id}/ping",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.ping(ex, who, path.project(), path.get("id")))
                .add(
                        "POST",
                        p + "/webhooks/{id}/rotate-secret",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.rotateSecret(ex, c, who, path.project(), path.get("id")))
                .add(
                        "POST",
                        p + "/webhooks/{id}/delete",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> webhooks.delete(ex, who, path.project(), path.get("id")))
                .add(
                        "POST",
                        p + "/webhooks/{id}/deliveries/{event}/redeliver",
                        Access.project(ADMIN),
                        (ex, c, who, path) ->
                                webhooks.redeliver(ex, who, path.project(), path.get("id"), path.get("event")))
                .add(
                        "POST",
                        s + "/freeze",
                        Access.state(ADMIN),
                        (ex, c, who, path) -> pages.freeze(ex, who, path.state()))
                .add(
                        "POST",
                        s + "/freeze/lift",
                        Access.state(ADMIN),
                        (ex, c, who, path) -> pages.unfreeze(ex, who, path.state()))
                .add(
                        "GET",
                        p + "/members",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> admin.members(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/members",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> admin.putMember(ex, who, path.project()))
                .add(
                        "POST",
                        p + "/members/{user}/remove",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> admin.removeMember(ex, who, path.project(), path.get("user")))
                .add(
                        "GET",
                        p + "/settings",
                        Access.project(READ),
                        (ex, c, who, path) -> admin.settings(ex, c, who, path.project()))
                .add(
                        "POST",
                        p + "/settings",
                        Access.project(ADMIN),
                        (ex, c, who, path) -> admin.saveSettings(ex, who, path.project()))
                .build();
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith(PREFIX);
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange ex, RouteTable.Match<Endpoint> match) throws IOException {
        RouteTable.Route<Endpoint> route = match.route();
        if (UPLOADS.contains(route.template())) {
            // the CSRF token then comes from the header or the form's address, never from the body:
            // a state file is read only after the session, the token and the role are checked
            ex.allowUpload();
        }
        if (!route.template().equals(UiStatic.ROUTE)) {
            UiView.securityHeaders(ex);
        }
        if (!route.access().needsCredentials()) {
            route.endpoint().handle(ex, null, null, match.path());
            return;
        }
        Optional<ActiveSession> session = authenticator.uiSession(ex); // 403 on a missing CSRF token
        if (session.isEmpty()) {
            toLogin(ex);
            return;
        }
        Principal principal = authenticator.principalOf(session.get(), ex);
        ex.authenticatedAs(principal.name());
        route.access().check(principal, match.path(), null);
        route.endpoint().handle(ex, chrome(ex, session.get()), principal, match.path());
    }

    private void logout(Exchange ex, Principal principal) throws IOException {
        logins.logout(ex, principal);
        ex.redirect(LOGIN + "?done=logged-out");
    }

    private void passwordPage(Exchange ex, Chrome chrome) throws IOException {
        send(ex, 200, "password.jte", chrome.page("Password", List.of()), new Pages.Password(null));
    }

    private void loginPage(Exchange ex) throws IOException {
        if (authenticator.session(ex).isPresent()) {
            ex.redirect(PREFIX);
            return;
        }
        String notice = NOTICES.get(String.valueOf(ex.query("done")));
        Chrome chrome = Chrome.anonymous("Log in").withNotice(notice);
        send(ex, 200, "login.jte", chrome, new Pages.Login("", null, next(ex.query("next"))));
    }

    private void login(Exchange ex) throws IOException {
        String username = ex.formField("username");
        String password = ex.formField("password");
        String next = next(ex.formField("next"));
        if (username == null || password == null) {
            throw new InvalidInputException("the login form needs a user name and a password");
        }
        if (logins.login(ex, username, password).isEmpty()) {
            // 401 without WWW-Authenticate: a form login, no browser dialog
            send(
                    ex,
                    HttpStatus.UNAUTHORIZED_401,
                    "login.jte",
                    Chrome.anonymous("Log in"),
                    new Pages.Login(username, "Wrong user name or password.", next));
            return;
        }
        ex.redirect(next == null ? PREFIX : next);
    }

    /** Sets the user's own password, then logs them in again (setting a password ends every session of the user). */
    private void changePassword(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        String current = ex.formField("currentPassword");
        String password = ex.formField("password");
        String error = null;
        if (password == null || !password.equals(ex.formField("confirm"))) {
            error = "The two new passwords differ.";
        } else {
            try {
                logins.setPassword(ex, principal, principal.userName(), password, current == null ? "" : current);
            } catch (AccessDeniedException | InvalidInputException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            send(ex, 400, "password.jte", chrome.page("Password", List.of()), new Pages.Password(capitalized(error)));
            return;
        }
        logins.login(ex, principal.userName(), password);
        ex.redirect(PREFIX + "?done=password");
    }

    /** To the login page; an htmx request is told to load it as a whole page. */
    private void toLogin(Exchange ex) throws IOException {
        String next = ex.method().equals("GET") ? next(ex.path()) : null;
        String location = LOGIN + (next == null || next.equals(PREFIX) ? "" : "?next=" + next);
        if (ex.header("HX-Request") != null) {
            ex.header("HX-Redirect", location);
            ex.sendEmpty(200);
            return;
        }
        ex.redirect(location);
    }

    private Chrome chrome(Exchange ex, ActiveSession session) {
        String done = String.valueOf(ex.query("done"));
        String notice = NOTICES.get(done);
        return new Chrome(
                "Statefort",
                session.user().name(),
                session.user().globalAdmin(),
                session.user().mustChangePassword(),
                session.session().csrfToken(),
                List.of(),
                notice,
                notice == null ? null : "ok");
    }

    @Override
    public boolean servesBrowsers() {
        return true;
    }

    /** An HTML error page for a failed UI request, with the navigation when the request has a session. */
    @Override
    public void sendError(Exchange ex, int status, String message) throws IOException {
        Chrome chrome = authenticator
                .session(ex)
                .map(s -> chrome(ex, s).page("Error", List.of()))
                .orElse(Chrome.anonymous("Error"));
        String reason = HttpStatus.getMessage(status);
        send(ex, status, "error.jte", chrome, new Pages.Error(status, reason, message));
    }

    private void send(Exchange ex, int status, String template, Chrome chrome, Object page) throws IOException {
        view.send(ex, status, template, chrome, page);
    }

    private static String next(String candidate) {
        return candidate != null && NEXT.matcher(candidate).matches() && !candidate.contains("//") ? candidate : null;
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
