package dev.statefort.server.http;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.PasswordAttempt;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.Secrets;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.SessionService.ActiveSession;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.identity.JwtRejectedException;
import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.core.identity.RequestTarget;
import dev.statefort.core.identity.WorkloadIdentityService;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.config.ClientCertificatePrincipals;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Finds out who sends a request, in this order: an API token or a CI job's OIDC ID token (a JWT) in
 * the Authorization header (the Basic-auth password with any user name, what {@code TF_HTTP_PASSWORD}
 * sends, or a Bearer token);
 * a UI session cookie (state-changing requests must also carry the session's CSRF token in {@code
 * X-CSRF-Token}, or, for an HTML form posted to a {@code /ui/} page, in its {@code _csrf} field);
 * or, for an upload form, whose body is read only once the request is authorized, in its address's
 * {@code _csrf} parameter); a client certificate verified by the TLS handshake and mapped to a principal.
 * Nothing: 401. Bad, unknown, expired or revoked credentials: 403 (Terraform shows "invalid auth"),
 * after a delay that grows with each failure from the same address, and 429 once there were too many
 * ({@link AuthFailureThrottle}); a valid token, alias password or certificate is never throttled.
 */
public final class Authenticator {
    static final String SESSION_COOKIE = "statefort_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** The form field that carries the CSRF token in the UI's HTML forms. */
    static final String CSRF_FIELD = "_csrf";
    /** The only paths whose form bodies may carry the CSRF token (never /tf/: state bodies are not read here). */
    static final String UI_PREFIX = "/ui/";

    private final TokenService tokens;
    private final UserService users;
    private final SessionService sessions;
    private final AliasService aliases;
    private final WorkloadIdentityService identities;
    private final ClientCertificatePrincipals certificates;
    private final AuthFailureThrottle throttle;

    public Authenticator(
            AccessUseCases access, ClientCertificatePrincipals certificates, AuthFailureThrottle throttle) {
        this.tokens = access.tokens();
        this.users = access.users();
        this.sessions = access.sessions();
        this.aliases = access.aliases();
        this.identities = access.identities();
        this.certificates = certificates;
        this.throttle = throttle;
    }

    /** Who sends a request whose path names no project (an OIDC ID token grants nothing there). */
    public Principal authenticate(Exchange exchange) {
        return authenticate(exchange, RequestTarget.none());
    }

    /**
     * Who sends the request, acting from its client address (what the audit log records); {@code
     * target} is what the request's path names, which is all an OIDC ID token may act on.
     */
    public Principal authenticate(Exchange exchange, RequestTarget target) {
        Principal principal = authenticateOnce(exchange, target).from(exchange.remoteAddress());
        exchange.authenticatedAs(principal.name());
        return principal;
    }

    private Principal authenticateOnce(Exchange exchange, RequestTarget target) {
        String source = exchange.remoteAddress();
        String header = exchange.header("Authorization");
        if (header != null && !header.isBlank()) {
            String credential = tokenFrom(header.trim());
            if (JwtVerifier.looksLikeJwt(credential)) {
                return workloadIdentity(source, credential, target);
            }
            Optional<Principal> principal = tokens.authenticate(credential);
            return succeededOrDenied(source, principal, "invalid, unknown, expired or revoked token");
        }
        Optional<ActiveSession> session = session(exchange);
        if (session.isPresent()) {
            requireCsrf(exchange, session.get());
            return users.principalOf(session.get().user());
        }
        X500Principal subject = exchange.clientCertificateSubject();
        if (subject != null) {
            return succeededOrDenied(
                    source,
                    certificates.principalOf(subject),
                    "the client certificate '" + subject.getName(X500Principal.RFC2253)
                            + "' is not mapped to a principal (tls-client-principals)");
        }
        throw new AuthenticationRequiredException(
                "authentication required: send an API token as the Basic-auth password (TF_HTTP_PASSWORD) "
                        + "or as 'Authorization: Bearer <token>'");
    }

    /**
     * A CI job's OIDC ID token: a bad or expired one counts as a failed secret (the throttle); one
     * that is valid but matches no trust policy does not.
     */
    private Principal workloadIdentity(String source, String token, RequestTarget target) {
        try {
            return identities.authenticate(token, target);
        } catch (JwtRejectedException | AuthenticationRequiredException e) {
            throttle.secretFailed(source);
            throw e;
        }
    }

    /** An alias address accepts only the alias's own user name and password (Basic auth). */
    public Principal authenticateAlias(Exchange exchange, String aliasId) {
        Principal principal = authenticateAliasOnce(exchange, aliasId).from(exchange.remoteAddress());
        exchange.authenticatedAs(principal.name());
        return principal;
    }

    private Principal authenticateAliasOnce(Exchange exchange, String aliasId) {
        String source = exchange.remoteAddress();
        String header = exchange.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new AuthenticationRequiredException(
                    "authentication required: this alias address takes its own user name and password (Basic auth)");
        }
        String[] userAndPassword = basic(header.trim());
        Optional<Principal> principal = userAndPassword == null
                ? Optional.empty()
                : aliases.authenticate(aliasId, userAndPassword[0], userAndPassword[1]);
        return succeededOrDenied(
                source,
                principal,
                "invalid alias credentials, or the alias was revoked or expired, or whoever made it may no longer grant it");
    }

    /**
     * The web UI's way in: the session cookie only (an Authorization header is not looked at: a
     * browser has no tokens, and the UI sends whoever has no session to its login page). A
     * state-changing request also needs the session's CSRF token. Empty: not logged in.
     */
    public Optional<ActiveSession> uiSession(Exchange exchange) {
        Optional<ActiveSession> session = session(exchange);
        session.ifPresent(s -> requireCsrf(exchange, s));
        return session;
    }

    /** What the user of a session may do, acting from the request's client address. */
    public Principal principalOf(ActiveSession session, Exchange exchange) {
        return users.principalOf(session.user()).from(exchange.remoteAddress());
    }

    /** The live UI session of the request's cookie, if any. */
    public Optional<ActiveSession> session(Exchange exchange) {
        String cookie = exchange.cookie(SESSION_COOKIE);
        return cookie == null ? Optional.empty() : sessions.resolve(cookie);
    }

    /**
     * Counts a password attempt for {@code user} from the request's source before the password is
     * checked (429 when the source or the user name failed too often lately); the caller reports
     * how the check went.
     */
    PasswordAttempt beginPasswordAttempt(Exchange exchange, String user) {
        return throttle.beginPasswordAttempt(exchange.remoteAddress(), user);
    }

    private Principal succeededOrDenied(String source, Optional<Principal> principal, String denial) {
        if (principal.isEmpty()) {
            throttle.secretFailed(source);
            throw new AccessDeniedException(denial);
        }
        return principal.get();
    }

    private static void requireCsrf(Exchange exchange, ActiveSession session) {
        if (!exchange.isChange()) {
            return;
        }
        String expected = session.session().csrfToken();
        if (Secrets.equal(exchange.header(CSRF_HEADER), expected) || Secrets.equal(formCsrfToken(exchange), expected)) {
            return;
        }
        if (exchange.isUpload() && Secrets.equal(exchange.query(CSRF_FIELD), expected)) {
            return; // the upload form's address carries the token: its body is not read before the role check
        }
        throw new AccessDeniedException("missing or wrong CSRF token: a request made with the session cookie "
                + "must carry the session's token in the " + CSRF_HEADER + " header");
    }

    /**
     * The {@code _csrf} field of an HTML form posted to a UI page, or null. Only a UI path with a
     * form content type gets its body read (at most {@link Exchange#MAX_FORM_BYTES}, kept for the
     * handler); any other body, a state on /tf/ or an upload form in particular, stays unread.
     */
    private static String formCsrfToken(Exchange exchange) {
        if (!exchange.path().startsWith(UI_PREFIX) || !exchange.hasFormBody() || exchange.isUpload()) {
            return null; // an upload (a state file, up to the state size limit) is never read to find the token
        }
        try {
            return exchange.formField(CSRF_FIELD);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tokenFrom(String header) {
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String[] pair = basic(header);
            if (pair == null) {
                throw new AccessDeniedException("malformed Basic authorization header");
            }
            return pair[1];
        }
        throw new AccessDeniedException("unsupported authorization scheme '" + scheme + "'; use Basic or Bearer");
    }

    /** User name and password of a Basic header (a missing colon means no user name), or null if malformed. */
    private static String[] basic(String header) {
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        try {
            String decoded = new String(
                    Base64.getDecoder().decode(header.substring(space + 1).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? new String[] {"", decoded}
                    : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
