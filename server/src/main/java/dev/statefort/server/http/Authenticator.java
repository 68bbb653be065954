package dev.statefort.server.http;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.TokenService;
import dev.statefort.server.config.ClientCertificatePrincipals;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * Turns the Authorization header into a {@link Principal}: the token as Basic-auth password (any
 * user name; what {@code TF_HTTP_PASSWORD} sends) or as a Bearer token. Without the header, a client
 * certificate verified by the TLS handshake acts as the principal its subject is mapped to. Neither:
 * 401. Bad, unknown or revoked token, or an unmapped certificate: 403 (Terraform shows "invalid auth").
 */
final class Authenticator {
    private final TokenService tokens;
    private final ClientCertificatePrincipals certificates;

    Authenticator(TokenService tokens, ClientCertificatePrincipals certificates) {
        this.tokens = tokens;
        this.certificates = certificates;
    }

    Principal authenticate(Exchange exchange) {
        String header = exchange.header("Authorization");
        if (header == null || header.isBlank()) {
            X500Principal subject = exchange.clientCertificateSubject();
            if (subject != null) {
                return certificates
                        .principalOf(subject)
                        .orElseThrow(() -> new AccessDeniedException("the client certificate '"
                                + subject.getName(X500Principal.RFC2253)
                                + "' is not mapped to a principal (tls-client-principals)"));
            }
            throw new AuthenticationRequiredException(
                    "authentication required: send an API token as the Basic-auth password (TF_HTTP_PASSWORD) "
                            + "or as 'Authorization: Bearer <token>'");
        }
        String token = tokenFrom(header.trim());
        return tokens.authenticate(token)
                .orElseThrow(() -> new AccessDeniedException("invalid, unknown or revoked token"));
    }

    /** Throws 403 unless {@code principal} may do {@code needed} in {@code project}. */
    static void require(Principal principal, String project, Permission needed) {
        if (!principal.canSee(project)) {
            throw new AccessDeniedException("this token is not valid for project '" + project + "'");
        }
        if (!principal.allows(project, needed)) {
            throw new AccessDeniedException("this token has permission '"
                    + principal.permission().wireName() + "'; this request needs '" + needed.wireName() + "'");
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
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AccessDeniedException("malformed Basic authorization header");
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(colon + 1);
        }
        throw new AccessDeniedException("unsupported authorization scheme '" + scheme + "'; use Basic or Bearer");
    }
}
