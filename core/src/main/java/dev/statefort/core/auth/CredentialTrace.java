package dev.statefort.core.auth;

import java.util.Map;

/**
 * What a credential leaves behind beyond its principal's name: the facts every audit event of the
 * request records (for an OIDC ID token: the issuer, {@code sub}, {@code jti} and the trust policies
 * that matched; never the token), and what binds a lock it takes to it.
 *
 * @param audit recorded under {@code credential} in the detail of each audit event
 * @param lockBinding stored with a lock the credential takes ({@code jwt:<SHA-256 of the token>}), or null
 */
public record CredentialTrace(Map<String, String> audit, String lockBinding) {
    public CredentialTrace {
        audit = Map.copyOf(audit);
    }
}
