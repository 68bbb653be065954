package dev.statefort.core.identity;

import java.time.Instant;
import java.util.Map;

/**
 * An ID token whose signature, issuer and audience were checked (its times are the caller's to
 * check, so that a lock can outlive it): what the token says about the CI job.
 *
 * @param issuer the configured issuer's name
 * @param subject {@code sub}
 * @param jti {@code jti}, or null when the issuer sets none (Kubernetes)
 * @param claims every claim, as the token has it
 * @param expiresAt {@code exp}
 * @param notBefore {@code nbf}, or null
 * @param binding {@code jwt:<SHA-256 of the token>}: what a lock taken with it is bound to; the token itself is never kept
 */
public record VerifiedJwt(
        String issuer,
        String subject,
        String jti,
        Map<String, Object> claims,
        Instant expiresAt,
        Instant notBefore,
        String binding) {

    /** The principal's name: {@code oidc:<issuer>:<sub>}. */
    public String principalName() {
        return dev.statefort.core.auth.Principal.WORKLOAD_PREFIX + issuer + ":" + subject;
    }

    @Override
    public String toString() {
        return "VerifiedJwt[" + principalName() + "]";
    }
}
