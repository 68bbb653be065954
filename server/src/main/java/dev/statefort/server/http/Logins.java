package dev.statefort.server.http;

import dev.statefort.core.admin.UserAdministration;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.PasswordAttempt;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.usecases.AccessUseCases;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;

/**
 * Logging in and out and setting a password, for the REST API and the UI alike: what needs the
 * request (the session cookie, the failure throttle by source address) around core's use cases.
 */
public final class Logins {
    private final UserService users;
    private final UserAdministration userAdmin;
    private final SessionService sessions;
    private final AuditService audit;
    private final Authenticator authenticator;

    public Logins(AccessUseCases access, AuditService audit, Authenticator authenticator) {
        this.users = access.users();
        this.userAdmin = access.userAdmin();
        this.sessions = access.sessions();
        this.audit = audit;
        this.authenticator = authenticator;
    }

    /**
     * Logs in (the REST API's and the UI's one way): throttled per source address, audited, and on
     * success the session cookie is set on the response. A login another site's page sends (login
     * CSRF) never gets here: {@link BrowserRequestGuard} refuses it as any cross-site change. Empty: wrong user name or password.
     */
    public Optional<ActiveSession> login(Exchange ex, String username, String password) {
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
                    Principal.withoutPermissions("user:" + safeName(username)).from(ex.remoteAddress()),
                    AuditAction.LOGIN,
                    AuditEvent.DENIED,
                    null,
                    null,
                    Map.of());
            return Optional.empty();
        }
        attempt.succeeded();
        audit.record(
                Principal.withoutPermissions("user:" + username).from(ex.remoteAddress()),
                AuditAction.LOGIN,
                null,
                null,
                Map.of());
        ex.addCookie(cookie(issued.get().cookieValue(), sessions.maxAge().toSeconds(), ex.secureCookies()));
        UserRecord user = users.find(username).orElseThrow();
        return Optional.of(new ActiveSession(issued.get().session(), user));
    }

    /** Ends the request's session (audited) and deletes its cookie; the caller already checked the CSRF token. */
    public void logout(Exchange ex, Principal principal) {
        String cookie = ex.cookie(Authenticator.SESSION_COOKIE);
        if (cookie != null && sessions.logout(cookie)) {
            audit.record(principal, AuditAction.LOGOUT, null, null, Map.of());
        }
        ex.addCookie(cookie("", 0, ex.secureCookies()));
    }

    /** Sets a password through {@link UserAdministration}, a user's own check of the current one throttled by source. */
    public void setPassword(Exchange ex, Principal principal, String name, String password, String currentPassword) {
        PasswordAttempt attempt = name.equals(principal.userName())
                ? authenticator.beginPasswordAttempt(ex, name)
                : PasswordAttempt.UNCOUNTED;
        userAdmin.setPassword(principal, name, password, currentPassword, attempt);
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
}
