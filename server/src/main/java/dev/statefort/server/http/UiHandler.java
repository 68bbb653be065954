package dev.statefort.server.http;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.core.state.Names;
import dev.statefort.core.state.StateKey;
import dev.statefort.server.ui.Chrome;
import dev.statefort.server.ui.Pages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The web UI under {@code /ui/}: server-rendered pages (JTE) with htmx, for users logged in with a
 * session cookie. Whoever has no session is sent to the login page (303); forms carry the CSRF
 * token in {@code _csrf}, htmx sends it as {@code X-CSRF-Token}. Permissions are checked exactly as
 * the REST API checks them ({@link Authenticator#require}); the pages themselves are in {@link UiPages}.
 */
final class UiHandler {
    static final String PREFIX = "/ui/";
    static final String LOGIN = "/ui/login";
    /** Where a login may send the user on: a UI path, no scheme, host or query (no open redirect). */
    private static final Pattern NEXT = Pattern.compile("/ui/[A-Za-z0-9._~/-]*");
    /** Fixed notices a redirect may ask for by code; no text from the request is ever shown as a notice. */
    private static final Map<String, String> NOTICES = Map.of(
            "password", "Your password was changed.",
            "logged-out", "You are logged out.",
            "unlocked", "The lock was released.",
            "not-locked", "The state was not locked (any more): nothing was released.",
            // history
            "restored", "The version was restored: a copy of it is the current version now.",
            "reverted", "The session was reverted: the version before it is the current version now.");

    private final Authenticator authenticator;
    private final AccessApi access;
    private final UiPages pages;
    private final UiStatic statics;
    private final UiView view;
    private final UiHistoryPages historyPages;
    private final UiAccessRoutes accessRoutes;

    UiHandler(
            Authenticator authenticator,
            AccessApi access,
            UiPages pages,
            UiStatic statics,
            UiView view,
            UiHistoryPages historyPages,
            UiAccessRoutes accessRoutes) {
        this.authenticator = authenticator;
        this.access = access;
        this.pages = pages;
        this.statics = statics;
        this.view = view;
        this.historyPages = historyPages;
        this.accessRoutes = accessRoutes;
    }

    /** Whether {@code path} is the UI's (the entry points {@code /} and {@code /ui} included). */
    static boolean owns(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith(PREFIX);
    }

    void handle(Exchange ex) throws IOException {
        String path = ex.path();
        if (path.startsWith(UiStatic.PREFIX)) {
            statics.send(ex, path.substring(UiStatic.PREFIX.length()));
            return;
        }
        UiView.securityHeaders(ex);
        if (path.equals("/") || path.equals("/ui")) {
            ex.redirect(PREFIX);
            return;
        }
        if (path.equals(LOGIN)) {
            if (ex.method().equals("POST")) {
                login(ex);
            } else {
                loginPage(ex);
            }
            return;
        }
        Optional<ActiveSession> session = authenticator.uiSession(ex); // 403 on a missing CSRF token
        if (session.isEmpty()) {
            toLogin(ex);
            return;
        }
        Principal principal = authenticator.principalOf(session.get());
        Chrome chrome = chrome(ex, session.get());
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        String method = ex.method();
        if (path.equals(PREFIX)) {
            pages.projects(ex, chrome, principal);
        } else if (path.equals("/ui/logout")) {
            access.logout(ex, principal);
            ex.redirect(LOGIN + "?done=logged-out");
        } else if (path.equals("/ui/password")) {
            if (method.equals("POST")) {
                changePassword(ex, chrome, principal);
            } else {
                send(ex, 200, "password.jte", chrome.page("Password", List.of()), new Pages.Password(null));
            }
        } else if (s.length == 2 && s[0].equals("projects")) {
            pages.project(ex, chrome, principal, Names.require("project", s[1]));
        } else if (s.length == 4 && s[0].equals("projects") && s[2].equals("states")) {
            pages.state(ex, chrome, principal, new StateKey(s[1], s[3]));
        } else if (s.length == 5 && s[0].equals("projects") && s[2].equals("states") && s[4].equals("unlock")) {
            pages.forceUnlock(ex, principal, new StateKey(s[1], s[3]));
        } else if (history(ex, chrome, principal, s)) {
            return; // a history page or action
        } else if (accessRoutes.handle(ex, chrome, principal, s)) {
            // tokens, aliases, members, settings, audit: UiAccessRoutes
        } else {
            throw new dev.statefort.core.NotFoundException("nothing at " + path);
        }
    }

    /** The history pages under a state ({@link UiHistoryPages}); false when {@code s} is none of them. */
    private boolean history(Exchange ex, Chrome chrome, Principal principal, String[] s) throws IOException {
        if (s.length < 5 || !s[0].equals("projects") || !s[2].equals("states")) {
            return false;
        }
        StateKey key = new StateKey(s[1], s[3]);
        String route = s.length + " " + s[4] + (s.length == 7 ? " " + s[6] : "");
        switch (route) {
            case "5 diff" -> historyPages.diff(ex, chrome, principal, key);
            case "6 versions" -> historyPages.version(ex, chrome, principal, key, StateApi.number(s[5]));
            case "7 versions restore" -> historyPages.restore(ex, chrome, principal, key, StateApi.number(s[5]));
            case "7 sessions revert" -> historyPages.revert(ex, chrome, principal, key, s[5]);
            default -> {
                return false;
            }
        }
        return true;
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
        if (access.login(ex, username, password).isEmpty()) {
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
                access.setPassword(ex, principal, principal.userName(), password, current == null ? "" : current);
            } catch (AccessDeniedException | InvalidInputException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            send(ex, 400, "password.jte", chrome.page("Password", List.of()), new Pages.Password(capitalized(error)));
            return;
        }
        access.login(ex, principal.userName(), password);
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
        String notice = NOTICES.getOrDefault(done, UiAccessRoutes.NOTICES.get(done));
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

    /** An HTML error page for a failed UI request (what {@link StatefortHandler} renders for /ui/ paths). */
    void sendError(Exchange ex, int status, String message) throws IOException {
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
