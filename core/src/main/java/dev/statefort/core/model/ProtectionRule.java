package dev.statefort.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A project's protection of some of its states: a change to a state whose name matches {@code
 * states} (a write, an exclusive LOCK, a delete, an upload, a restore, a revert, a quarantine
 * promotion, an import) needs, beyond the usual permission, an identity the rule allows: an OIDC
 * identity one of the trust policies named in {@code allow} matched, or one of the tokens in
 * {@code allowTokens}. Reads and plan locks are not affected.
 *
 * @param id server-generated
 * @param number the rule's number in its project (1, 2, ...), as messages name it
 * @param states glob over the project's state names ({@link Glob})
 * @param allow names of the project's trust policies
 * @param allowTokens IDs of API tokens
 */
public record ProtectionRule(
        String id,
        String project,
        int number,
        String states,
        List<String> allow,
        List<String> allowTokens,
        String createdBy,
        Instant createdAt) {

    public ProtectionRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(states, "states");
        allow = List.copyOf(allow);
        allowTokens = List.copyOf(allowTokens);
    }

    /** Whether the rule protects the state named {@code state}. */
    public boolean protects(String state) {
        return Glob.matches(states, state);
    }

    /** The same rule with its creation time at millisecond precision, as a store keeps it. */
    public ProtectionRule withMillis() {
        return new ProtectionRule(
                id,
                project,
                number,
                states,
                allow,
                allowTokens,
                createdBy,
                createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /** What the rule allows, as its refusal says it: "applies only from trust policy deploy-main". */
    public String allowedText() {
        StringBuilder text = new StringBuilder("applies only from ");
        if (!allow.isEmpty()) {
            text.append(allow.size() == 1 ? "trust policy " : "trust policies ").append(String.join(", ", allow));
        }
        if (!allowTokens.isEmpty()) {
            text.append(allow.isEmpty() ? "" : " or ")
                    .append(allowTokens.size() == 1 ? "token " : "tokens ")
                    .append(String.join(", ", allowTokens));
        }
        return text.toString();
    }
}
