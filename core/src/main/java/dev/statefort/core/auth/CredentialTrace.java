package dev.statefort.core.auth;

import java.util.List;
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
 * @param trustPolicies the names of the project's trust policies that matched the OIDC identity and
 *     cover the request's state (what a protection rule allows by name)
 */
public record CredentialTrace(
        Map<String, String> audit, String lockBinding, String graceLockId, List<String> trustPolicies) {
    public CredentialTrace {
        audit = Map.copyOf(audit);
        trustPolicies = List.copyOf(trustPolicies);
    }

    public CredentialTrace(Map<String, String> audit, String lockBinding, List<String> trustPolicies) {
        this(audit, lockBinding, null, trustPolicies);
    }

    public CredentialTrace(Map<String, String> audit, String lockBinding) {
        this(audit, lockBinding, null, List.of());
    }

    /** The same trace of a credential acting in the grace of the lock {@code lockId}. */
    public CredentialTrace inGraceOf(String lockId) {
        return new CredentialTrace(audit, lockBinding, lockId, trustPolicies);
    }
}
