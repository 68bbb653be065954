package dev.statefort.core.auth;

import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * An alias's lineage (architecture habit 17, the rule tokens follow): who made it, recorded when it
 * is made, and whether they still may grant it, checked at every request. The token it was made with
 * must still be valid (not revoked, not expired, its owner and ancestors still good) and allow the
 * alias's permission on its state; the user who made it (by immutable ID) must still exist and have
 * that permission there. An alias made with a token never outlives the token.
 */
final class AliasLineage {
    private final TokenService tokens;
    private final UserService users;

    AliasLineage(TokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    /** Who makes an alias, and its expiry: the one asked for (null: never), at most the making token's. */
    record Origin(AliasMaker maker, Instant expiresAt) {}

    /**
     * The origin of an alias {@code creator} makes now, asked to expire at {@code requestedExpiry}.
     * A creator with no user and no token (the CLI, a certificate) leaves no maker to check.
     */
    Origin originOf(Principal creator, Instant requestedExpiry) {
        Optional<TokenRecord> token = tokens.tokenOf(creator);
        String user = creator.userName();
        String userId = null;
        if (user != null) {
            userId = users.find(user)
                    .map(UserRecord::id)
                    .orElseThrow(() -> new AccessDeniedException("the user making this request no longer exists"));
        }
        Instant tokenExpiry = token.map(TokenRecord::expiresAt).orElse(null);
        Instant expiresAt = requestedExpiry;
        if (tokenExpiry != null && (expiresAt == null || expiresAt.isAfter(tokenExpiry))) {
            expiresAt = tokenExpiry;
        }
        return new Origin(
                new AliasMaker(user, userId, token.map(TokenRecord::id).orElse(null)), expiresAt);
    }

    /** Whether the alias's maker, user and token, may still grant its permission on its state (true when none is recorded). */
    boolean stillGranted(AliasRecord alias) {
        AliasMaker maker = alias.maker();
        if (maker.tokenId() != null && !grants(tokens.principalOfToken(maker.tokenId()), alias)) {
            return false;
        }
        if (maker.user() != null) {
            Optional<Principal> user = users.find(maker.user())
                    .filter(u -> u.id().equals(maker.userId()))
                    .map(users::principalOf);
            return grants(user, alias);
        }
        return true;
    }

    private static boolean grants(Optional<Principal> maker, AliasRecord alias) {
        return maker.isPresent() && maker.get().allows(alias.state(), alias.permission());
    }
}
