package dev.statefort.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A project's trust in CI jobs: an OIDC ID token from the configured issuer {@code issuer} whose
 * claims match {@code claims} may act with {@code permission} on the project's states whose names
 * match {@code states}. Claim values and {@code states} are globs ({@link Glob}).
 *
 * @param id server-generated
 * @param project the project it grants on (and nothing else)
 * @param name the project's name for it, unique in the project
 * @param issuer the name of an issuer the operator configured ({@code oidc.<name>.*})
 * @param claims claim name to glob; every one must match a claim of the token
 * @param permission {@code outputs}, {@code read} or {@code write} (never admin)
 * @param states glob over the project's state names
 * @param createdBy the principal that created it, as audit shows it
 */
public record TrustPolicy(
        String id,
        String project,
        String name,
        String issuer,
        Map<String, String> claims,
        Permission permission,
        String states,
        String createdBy,
        Instant createdAt) {

    public TrustPolicy {
        claims = java.util.Collections.unmodifiableMap(new TreeMap<>(claims));
    }

    /** The same policy with its creation time at millisecond precision, as a store keeps it. */
    public TrustPolicy withMillis() {
        return new TrustPolicy(
                id,
                project,
                name,
                issuer,
                claims,
                permission,
                states,
                createdBy,
                createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /** Whether the policy covers the state named {@code state}. */
    public boolean coversState(String state) {
        return Glob.matches(states, state);
    }

    /** Whether it covers every state of the project (its glob is {@code *}): it may act on the project as a whole. */
    public boolean coversEveryState() {
        return Glob.MATCH_ALL.equals(states);
    }
}
