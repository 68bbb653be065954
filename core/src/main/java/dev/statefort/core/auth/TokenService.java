package dev.statefort.core.auth;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.Names;
import dev.statefort.core.state.StateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API tokens {@code sft_<id>_<secret>}: a public ID to find the record and a 256-bit random secret
 * of which only the SHA-256 is stored (a slow hash adds nothing for a random 256-bit secret) and
 * which is compared in constant time. A token owned by a user never grants more than that user has
 * at the time of the request.
 */
public final class TokenService {
    private static final int ID_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern TOKEN = Pattern.compile("sft_([a-z0-9]{" + ID_LENGTH + "})_([0-9a-f]{64})");

    private final MetadataStore metadata;
    private final UserService users;
    private final Clock clock;

    public TokenService(MetadataStore metadata, UserService users, Clock clock) {
        this.metadata = metadata;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Creates a token without owner (the CLI and first start act as the system).
     *
     * @param project the project it is scoped to, or null for all projects
     */
    public IssuedToken create(String project, Permission permission, String name) {
        TokenRequest request = new TokenRequest(name, project, null, permission, null, null);
        checkShape(request);
        return issue(request);
    }

    /**
     * Creates a token on behalf of {@code creator}, who must hold at least the permission asked
     * for where it is asked for; a token without owner (robot token) or for all projects also needs
     * admin there. Refusals are {@link AccessDeniedException}s.
     */
    public IssuedToken create(TokenRequest request, Principal creator) {
        checkShape(request);
        if (request.project() == null) {
            if (!creator.isGlobalAdmin()) {
                throw new AccessDeniedException("a token for all projects needs a global admin");
            }
        } else {
            boolean allowed = request.state() == null
                    ? creator.allows(request.project(), request.permission())
                    : creator.allows(new StateKey(request.project(), request.state()), request.permission());
            if (!allowed) {
                throw new AccessDeniedException("you cannot create a token with permission '"
                        + request.permission().wireName() + "' there: a token never grants more than its creator has");
            }
            if (request.ownerUser() == null && !creator.allows(request.project(), Permission.ADMIN)) {
                throw new AccessDeniedException("a project (robot) token needs the admin role in project '"
                        + request.project() + "'; create a token of your own instead");
            }
        }
        return issue(request);
    }

    /** Stores a token for a request whose shape the caller checked. */
    private IssuedToken issue(TokenRequest request) {
        if (request.project() != null && metadata.findProject(request.project()).isEmpty()) {
            throw new ProjectNotFoundException(request.project());
        }
        if (request.ownerUser() != null && users.find(request.ownerUser()).isEmpty()) {
            throw new InvalidInputException("user '" + request.ownerUser() + "' does not exist");
        }
        String id = Secrets.randomId(ID_LENGTH);
        String secret = Secrets.randomHex(SECRET_BYTES);
        TokenRecord record = new TokenRecord(
                id,
                request.name(),
                request.project(),
                request.state(),
                request.permission(),
                request.ownerUser(),
                Secrets.sha256Hex(secret),
                clock.instant(),
                request.expiresAt(),
                null,
                null);
        metadata.createToken(record);
        return new IssuedToken(record, "sft_" + id + "_" + secret);
    }

    private void checkShape(TokenRequest r) {
        if (r.permission() == null) {
            throw new InvalidInputException("a token needs a permission: outputs, read, write or admin");
        }
        if (r.name() != null && r.name().length() > 200) {
            throw new InvalidInputException("token name is longer than 200 characters");
        }
        if (r.project() != null) {
            Names.require("project", r.project());
        }
        if (r.state() != null) {
            if (r.project() == null) {
                throw new InvalidInputException("a token for one state needs its project too");
            }
            Names.require("state", r.state());
        }
        if (r.expiresAt() != null && !r.expiresAt().isAfter(clock.instant())) {
            throw new InvalidInputException("the expiry must be in the future");
        }
    }

    /** The principal for a presented token, or empty if it is malformed, unknown, revoked, expired or wrong. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(presented.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<TokenRecord> found = metadata.findToken(m.group(1));
        Instant now = clock.instant();
        if (found.isEmpty() || found.get().isRevoked() || found.get().isExpired(now)) {
            return Optional.empty();
        }
        TokenRecord t = found.get();
        if (!Secrets.matches(m.group(2), t.secretHash())) {
            return Optional.empty();
        }
        Optional<Principal> principal = principalOf(t);
        if (principal.isPresent()
                && (t.lastUsedAt() == null
                        || t.lastUsedAt().plus(USE_RECORDING_INTERVAL).isBefore(now))) {
            metadata.recordTokenUse(t.id(), now);
        }
        return principal;
    }

    /** What the token may do now: its own scope, cut down to what its owner has (if it has one). */
    private Optional<Principal> principalOf(TokenRecord t) {
        StateKey state = t.state() == null ? null : new StateKey(t.project(), t.state());
        if (t.ownerUser() == null) {
            String name = "token:" + t.id();
            return Optional.of(
                    state != null
                            ? Principal.forState(name, state, t.permission())
                            : new Principal(name, t.project(), t.permission()));
        }
        return users.find(t.ownerUser())
                .map(users::principalOf)
                .map(owner -> owner.narrowed(
                        "user:" + t.ownerUser() + "/token:" + t.id(), t.project(), state, t.permission()));
    }

    public Optional<TokenRecord> find(String id) {
        return metadata.findToken(id);
    }

    public List<TokenRecord> list() {
        return metadata.listTokens();
    }

    public boolean revoke(String id) {
        return metadata.revokeToken(id, clock.instant());
    }
}
