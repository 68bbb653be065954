package dev.statefort.core.auth;

import java.util.Map;

/**
 * What a credential leaves behind beyond its principal's name: the facts every audit event of the
 * request records (for an OIDC ID token: the issuer, {@code sub}, {@code jti} and the trust policies
 * that matched; never the token), and what binds a lock it takes to it.
 *
 * @param audit recorded under {@code credential} in the detail of each audit event
 * @param lockBinding stored with a lock the credential takes ({@code jwt:<SHA-256 of the token>}), or null
 * @param graceLockId set when an expired token acts in its lock grace: the ID of the lock it took, the
 *     only one it may release (null otherwise)
 */
public record CredentialTrace(Map<String, String> audit, String lockBinding, String graceLockId) {
    public CredentialTrace {
        audit = Map.copyOf(audit);
    }

    public CredentialTrace(Map<String, String> audit, String lockBinding) {
        this(audit, lockBinding, null);
    }

    /** The same trace of a credential acting in the grace of the lock {@code lockId}. */
    public CredentialTrace inGraceOf(String lockId) {
        return new CredentialTrace(audit, lockBinding, lockId);
    }
}
