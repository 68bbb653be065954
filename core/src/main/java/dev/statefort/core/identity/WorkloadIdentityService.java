package dev.statefort.core.identity;

import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AuthenticationRequiredException;
import dev.statefort.core.auth.CredentialTrace;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.LockStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OIDC ID tokens of CI jobs as credentials: at every request the token's signature, issuer and
 * audience ({@link JwtVerifier}), its times (60 s of clock skew), and the trust policies of the
 * project the request names. It grants there the highest permission of the matching policies that
 * cover the state, and nothing on any other project.
 *
 * <p>An apply outlives its token: a lock taken with a token is bound to it ({@code jwt:<SHA-256>});
 * after the token expired, the same token still does exactly what Terraform does under that lock
 * (GET the state, POST it with {@code ?ID=<that lock>}, UNLOCK it), while the lock is held, for at
 * most the lock grace after the lock was taken, and while a policy still matches.
 */
public final class WorkloadIdentityService {
    /** How far {@code exp} and {@code nbf} may be off the server's clock. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    public static final Duration DEFAULT_LOCK_GRACE = Duration.ofHours(2);

    static final String NO_POLICY = "no trust policy of this project matches this identity";

    private final JwtVerifier verifier;
    private final AccessStore access;
    private final LockStore locks;
    private final Duration lockGrace;
    private final Clock clock;

    public WorkloadIdentityService(
            JwtVerifier verifier, AccessStore access, LockStore locks, Duration lockGrace, Clock clock) {
        this.verifier = verifier;
        this.access = access;
        this.locks = locks;
        this.lockGrace = lockGrace;
        this.clock = clock;
    }

    public JwtVerifier verifier() {
        return verifier;
    }

    /**
     * The principal of an ID token on the request's target.
     *
     * @throws JwtRejectedException a bad token (403, counted as an authentication failure)
     * @throws AuthenticationRequiredException an expired token outside the lock grace (401)
     * @throws AccessDeniedException no policy of the project matches (403)
     * @throws IssuerUnavailableException the issuer's keys cannot be had (503)
     */
    public Principal authenticate(String token, RequestTarget target) {
        VerifiedJwt jwt = verifier.verify(token);
        Instant now = clock.instant();
        if (jwt.notBefore() != null && jwt.notBefore().isAfter(now.plus(CLOCK_SKEW))) {
            throw new JwtRejectedException("it is not valid yet (nbf)");
        }
        boolean expired = !now.isBefore(jwt.expiresAt().plus(CLOCK_SKEW));
        if (expired && target.underLock() == RequestTarget.LockUse.NONE) {
            throw expired();
        }
        Principal principal = principalOn(jwt, target);
        if (!expired) {
            return principal;
        }
        String graceLock = lockInGrace(jwt, target, now);
        if (graceLock == null) {
            throw expired();
        }
        return principal.tracedBy(principal.trace().inGraceOf(graceLock));
    }

    private static AuthenticationRequiredException expired() {
        return new AuthenticationRequiredException("the OIDC token has expired: get a new one from the CI system"
                + " (an expired token still finishes the apply under the lock it took, and does nothing else)");
    }

    /** What the matching policies of the target's project grant on the target. */
    private Principal principalOn(VerifiedJwt jwt, RequestTarget target) {
        String name = jwt.principalName();
        if (target.project() == null) {
            return Principal.withoutPermissions(name).tracedBy(trace(jwt, List.of()));
        }
        List<TrustPolicy> matching = access.listTrustPolicies(target.project()).stream()
                .filter(p -> p.issuer().equals(jwt.issuer()) && TrustPolicies.claimsMatch(p, jwt))
                .toList();
        if (matching.isEmpty()) {
            throw new AccessDeniedException(NO_POLICY);
        }
        StateKey key = target.stateKey();
        List<TrustPolicy> covering = matching.stream()
                .filter(p -> key == null ? p.coversEveryState() : p.coversState(key.name()))
                .toList();
        if (key != null && covering.isEmpty()) {
            throw new AccessDeniedException(NO_POLICY);
        }
        CredentialTrace trace = trace(jwt, covering.isEmpty() ? matching : covering);
        if (covering.isEmpty()) {
            return Principal.withoutPermissions(name)
                    .tracedBy(trace); // policies for some states only: no project-wide access
        }
        Permission granted = covering.stream()
                .map(TrustPolicy::permission)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Principal principal =
                key == null ? new Principal(name, target.project(), granted) : Principal.forState(name, key, granted);
        return principal.tracedBy(trace);
    }

    /** What the audit records of the token (never the token), and what binds a lock it takes. */
    private static CredentialTrace trace(VerifiedJwt jwt, List<TrustPolicy> policies) {
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("issuer", jwt.issuer());
        audit.put("sub", jwt.subject());
        if (jwt.jti() != null) {
            audit.put("jti", jwt.jti());
        }
        if (!policies.isEmpty()) {
            audit.put("policy", policies.stream().map(TrustPolicy::name).collect(Collectors.joining(",")));
        }
        return new CredentialTrace(
                audit, jwt.binding(), policies.stream().map(TrustPolicy::name).toList());
    }

    /**
     * The lock an expired token may still act under for this request, or null: the request is one
     * Terraform makes under the lock of the state, that lock was taken with this very token less than
     * the grace ago, and a write carries that lock's ID (a TFE client's request carries none: the lock
     * bound to the token is the one it acts under).
     */
    private String lockInGrace(VerifiedJwt jwt, RequestTarget target, Instant now) {
        StateKey key = target.stateKey();
        if (key == null) {
            return null;
        }
        LockRecord lock = locks.findLock(key).orElse(null);
        if (lock == null
                || !jwt.binding().equals(lock.credential())
                || !now.isBefore(lock.acquiredAt().plus(lockGrace))) {
            return null;
        }
        if (target.underLock() == RequestTarget.LockUse.WRITE && !lock.id().equals(target.lockId())) {
            return null;
        }
        return lock.id(); // an UNLOCK in the grace may release this lock only (LockService checks its body)
    }
}
