package dev.statefort.core.auth;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.AccessStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Aliases: an unguessable backend address {@code /tf/alias/{id}} for one state with its own user
 * name and a server-generated password, so a pipeline gets one address and one secret and nothing
 * else. Revoking or rotating cuts the old credentials off at once (nothing is cached). An alias
 * works only until its expiry and while the user and the token that made it still may grant it
 * ({@link AliasLineage}, checked at every request).
 */
public final class AliasService {
    private static final int ID_LENGTH = 24;
    private static final int SECRET_BYTES = 32;

    private final AccessStore access;
    private final AliasLineage lineage;
    private final Clock clock;

    public AliasService(AccessStore access, TokenService tokens, UserService users, Clock clock) {
        this.access = access;
        this.lineage = new AliasLineage(tokens, users);
        this.clock = clock;
    }

    /** An alias just made or rotated, with the password to hand over once. */
    public record IssuedAlias(AliasRecord alias, String password) {
        @Override
        public String toString() {
            return "IssuedAlias[" + alias.id() + "]";
        }
    }

    /**
     * Creates an alias for {@code state} with {@code permission} {@code outputs}, {@code read} or
     * {@code write}, made by {@code creator} (its user and token are recorded and checked at every
     * request), that stops working at {@code expiresAt} (null: never; never later than the token
     * it is made with).
     */
    public IssuedAlias create(StateKey state, Permission permission, Principal creator, Instant expiresAt) {
        if (permission == Permission.ADMIN) {
            throw new InvalidInputException("an alias can have permission outputs, read or write, not admin");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidInputException("the expiry must be in the future");
        }
        AliasLineage.Origin origin = lineage.originOf(creator, expiresAt);
        String id = Secrets.randomId(ID_LENGTH);
        String password = Secrets.randomHex(SECRET_BYTES);
        AliasRecord alias = new AliasRecord(
                id,
                state,
                "alias-" + id.substring(0, 8),
                permission,
                Secrets.sha256Hex(password),
                creator.name(),
                now,
                null,
                origin.maker(),
                origin.expiresAt());
        access.createAlias(alias);
        return new IssuedAlias(alias, password);
    }

    /** A new password for the alias; the old one stops working at once. */
    public IssuedAlias rotate(String id) {
        AliasRecord alias = liveAlias(id);
        String password = Secrets.randomHex(SECRET_BYTES);
        if (!access.replaceAliasSecret(id, Secrets.sha256Hex(password))) {
            throw new NotFoundException("alias " + id + " does not exist or is revoked");
        }
        return new IssuedAlias(alias, password);
    }

    public boolean revoke(String id) {
        return access.revokeAlias(id, clock.instant());
    }

    public Optional<AliasRecord> find(String id) {
        return access.findAlias(id);
    }

    public List<AliasRecord> list(String project) {
        return access.listAliases(project);
    }

    /**
     * The principal of the alias when {@code username} and {@code password} are its own; empty for
     * an unknown, revoked or expired alias, wrong credentials, or an alias whose maker may no longer
     * grant it (its token revoked, expired or cut down; its user deleted, or without the alias's
     * permission on its state now). The principal acts on the alias's state only.
     */
    public Optional<Principal> authenticate(String id, String username, String password) {
        Optional<AliasRecord> found = access.findAlias(id);
        if (found.isEmpty()
                || found.get().isRevoked()
                || found.get().isExpired(clock.instant())
                || username == null
                || password == null) {
            return Optional.empty();
        }
        AliasRecord alias = found.get();
        boolean nameOk = Secrets.equal(username, alias.username());
        boolean passwordOk = Secrets.matches(password, alias.secretHash());
        if (!nameOk || !passwordOk || !lineage.stillGranted(alias)) {
            return Optional.empty();
        }
        return Optional.of(Principal.forState(Principal.ALIAS_PREFIX + alias.id(), alias.state(), alias.permission()));
    }

    private AliasRecord liveAlias(String id) {
        return access.findAlias(id)
                .filter(a -> !a.isRevoked())
                .orElseThrow(() -> new NotFoundException("alias " + id + " does not exist or is revoked"));
    }
}
