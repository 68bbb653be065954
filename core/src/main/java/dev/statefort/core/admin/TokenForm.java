package dev.statefort.core.admin;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.model.Permission;

/**
 * What a new token should be, as the REST API's body and the UI's form ask for it (the CLI names
 * the owner user itself).
 *
 * @param owner {@code me} (the caller's own) or {@code project} (a robot token)
 * @param expiresInDays 1..3650, or null for never
 * @param expiresInMinutes 1..3650 days in minutes, for short-lived tokens (e.g. one pipeline run); not
 *     with {@code expiresInDays}
 */
public record TokenForm(
        String name,
        String project,
        String state,
        Permission permission,
        String owner,
        Integer expiresInDays,
        Integer expiresInMinutes) {

    /** A form with an expiry in days (or none). */
    public TokenForm(
            String name, String project, String state, Permission permission, String owner, Integer expiresInDays) {
        this(name, project, state, permission, owner, expiresInDays, null);
    }

    /** The request {@link TokenAdministration#create} takes, for {@code principal}. */
    public TokenRequest toRequest(Principal principal, TokenAdministration tokens) {
        String ownerUser =
                switch (owner) {
                    case "me" -> {
                        if (principal.userName() == null) {
                            throw new InvalidInputException(
                                    "\"owner\": \"me\" needs a user (log in, or use a user's token)");
                        }
                        yield principal.userName();
                    }
                    case "project" -> null;
                    default -> throw new InvalidInputException("\"owner\" must be \"me\" or \"project\"");
                };
        if (expiresInDays != null && expiresInMinutes != null) {
            throw new InvalidInputException("give expiresInDays or expiresInMinutes, not both");
        }
        java.time.Instant expiry =
                expiresInMinutes != null ? tokens.expiryInMinutes(expiresInMinutes) : tokens.expiry(expiresInDays);
        return new TokenRequest(name, project, state, permission, ownerUser, expiry);
    }
}
