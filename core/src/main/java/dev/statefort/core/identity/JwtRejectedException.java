package dev.statefort.core.identity;

import dev.statefort.core.auth.AccessDeniedException;

/**
 * An ID token that is not a valid credential here: malformed, unsigned, signed with another
 * algorithm or an unknown key, from an issuer not configured, for another audience, or not valid yet.
 * 403 like a bad API token, and counted by the authentication-failure throttle. The message never
 * quotes the token.
 */
public class JwtRejectedException extends AccessDeniedException {
    public JwtRejectedException(String reason) {
        super("invalid OIDC token: " + reason);
    }
}
