package dev.statefort.core.identity;

import dev.statefort.core.model.Glob;
import dev.statefort.core.model.TrustPolicy;
import java.util.Map;

/** How a token's claims meet a policy's. */
final class TrustPolicies {
    private TrustPolicies() {}

    /**
     * Whether every claim of the policy matches the token's claim of that name (its glob against the
     * value, or any element of a list); a claim the token lacks never matches.
     */
    static boolean claimsMatch(TrustPolicy policy, VerifiedJwt jwt) {
        for (Map.Entry<String, String> wanted : policy.claims().entrySet()) {
            boolean any = JwtVerifier.textsOf(jwt.claims().get(wanted.getKey())).stream()
                    .anyMatch(value -> Glob.matches(wanted.getValue(), value));
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
