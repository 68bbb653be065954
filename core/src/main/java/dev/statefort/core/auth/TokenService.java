package dev.statefort.core.auth;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.spi.MetadataStore;
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
 * at the time of the request, and belongs to that user's immutable ID: a later user of the same name
 * is someone else. A token made by a token (its parent) has at most the parent's scope, permission
 * and expiry, and revoking the parent revokes it.
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
        return create(project, permission, name, null);
    }

    /** The ID of the first start's admin token: fixed, so nodes starting together on one database create one. */
    public static final String INITIAL_ADMIN_ID = "initialadmin";

    /**
     * The first start's global admin token, unless a token with its ID exists (another node, starting
     * at the same moment on the same database, made it first): then empty.
     */
    public Optional<IssuedToken> createInitialAdmin(Instant expiresAt) {
        TokenRequest request = new TokenRequest("initial admin", null, null, Permission.ADMIN, null, expiresAt);
        try {
            return Optional.of(issue(request, null, INITIAL_ADMIN_ID));
        } catch (IllegalArgumentException exists) {
            return Optional.empty();
        }
    }

    /** {@link #create(String, Permission, String)} that stops working at {@code expiresAt} (null: never). */
    public IssuedToken create(String project, Permission permission, String name, Instant expiresAt) {
        TokenRequest request = new TokenRequest(name, project, null, permission, null, expiresAt);
        checkShape(request);
        return issue(request, null);
    }

    /**
     * Creates a token on behalf of {@code creator}, who must hold at least the permission asked
     * for where it is asked for; a token without owner (robot token) or for all projects also needs
     * admin there. Refusals are {@link AccessDeniedException}s.
     */
    public IssuedToken create(TokenRequest request, Principal creator) {
        checkShape(request);
        TokenRecord parent = parentOf(creator);
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
            if (request.ownerUser() == null
                    && !creator.allows(request.project(), Permission.ADMIN)
                    && !isRunToken(creator, request)) {
                throw new AccessDeniedException("a project (robot) token needs the admin role in project '"
                        + request.project() + "'; create a token of your own instead");
            }
        }
        if (parent != null) {
            return issue(withinParent(request, parent), parent.id());
        }
        return issue(request, null);
    }

    /** The longest a token minted by a non-admin token ({@link #isRunToken}) may live. */
    public static final java.time.Duration MAX_RUN_TOKEN_LIFETIME = java.time.Duration.ofHours(24);

    /**
     * Whether {@code request} is the one minting a token that is not an admin may do ({@code statefort
     * run}'s token for one pipeline run): the creator is a token, and the request is for one state it
     * may write, with {@code write} or lower permission (never more than the creator has there), and
     * an expiry at most {@link #MAX_RUN_TOKEN_LIFETIME} away. The new token is the creator's child.
     */
    public boolean isRunToken(Principal creator, TokenRequest request) {
        if (parentOf(creator) == null || request.project() == null || request.state() == null) {
            return false;
        }
        StateKey key = new StateKey(request.project(), request.state());
        return Permission.WRITE.includes(request.permission())
                && creator.allows(key, Permission.WRITE)
                && creator.allows(key, request.permission())
                && request.expiresAt() != null
                && !request.expiresAt().isAfter(clock.instant().plus(MAX_RUN_TOKEN_LIFETIME));
    }

    /** How many live (not revoked, not expired) tokens the token {@code principal} authenticated with has minted. */
    public long liveChildrenOf(Principal principal) {
        String own = principal.tokenId();
        if (own == null) {
            return 0;
        }
        Instant now = clock.instant();
        return metadata.listTokens().stream()
                .filter(t -> own.equals(t.parentId()) && !t.isRevoked() && !t.isExpired(now))
                .count();
    }

    /** Whether {@code t} is a child of the token {@code principal} authenticated with (e.g. its run token). */
    public boolean isChildOfCaller(Principal principal, TokenRecord t) {
        String own = principal.tokenId();
        return own != null && own.equals(t.parentId());
    }

    /**
     * Listing, creating and revoking tokens needs a UI session, the CLI, or an {@code admin} token
     * for a whole project or all projects: an {@code outputs}, {@code read}, {@code write} or
     * state-scoped token cannot see or revoke its owner's other tokens, nor mint new ones.
     */
    public void requireMayManageTokens(Principal principal) {
        if (principal.isWorkloadIdentity()) {
            throw new AccessDeniedException("a CI job's OIDC token cannot manage tokens");
        }
        TokenRecord own = parentOf(principal);
        if (own == null) {
            return;
        }
        boolean admin = own.state() == null
                && (own.project() == null
                        ? principal.isGlobalAdmin()
                        : principal.allows(own.project(), Permission.ADMIN));
        if (!admin) {
            throw new AccessDeniedException("managing tokens needs a UI session, the CLI or an admin token for a"
                    + " whole project; this token has permission '"
                    + own.permission().wireName() + "'"
                    + (own.state() == null ? "" : " on the state " + own.state() + " only")
                    + " (capped by what its owner and its parents may do now)");
        }
    }

    /**
     * Which tokens are the principal's own: owned by the user it acts for, that user's immutable ID
     * included (a later user of a deleted user's name does not own its tokens); a project's token
     * owns only its owner's tokens of that project. The user and the credential are looked up once,
     * here, not once per token tested.
     */
    public java.util.function.Predicate<TokenRecord> ownedBy(Principal principal) {
        String user = principal.userName();
        String userId =
                user == null ? null : users.find(user).map(UserRecord::id).orElse(null);
        if (userId == null) {
            return token -> false;
        }
        TokenRecord credential = parentOf(principal);
        String onlyProject = credential == null ? null : credential.project();
        return token -> userId.equals(token.ownerUserId())
                && user.equals(token.ownerUser())
                && (onlyProject == null || onlyProject.equals(token.project()));
    }

    /**
     * The token a principal authenticated with ({@code token:<id>}, {@code user:<name>/token:<id>}),
     * or null for a UI session, the CLI, a certificate or an alias.
     */
    private TokenRecord parentOf(Principal creator) {
        String id = creator.tokenId();
        if (id == null) {
            return null;
        }
        return metadata.findToken(id)
                .filter(t -> !t.isRevoked() && !t.isExpired(clock.instant()))
                .orElseThrow(() -> new AccessDeniedException("the token making this request is no longer valid"));
    }

    /**
     * A child token never outlives its parent: without an expiry, or with a later one, it expires with
     * the parent. (Its scope and permission are already at most the parent's: the creator principal
     * of a token request is cut down to its token.)
     */
    private static TokenRequest withinParent(TokenRequest request, TokenRecord parent) {
        if (parent.expiresAt() == null
                || (request.expiresAt() != null && !request.expiresAt().isAfter(parent.expiresAt()))) {
            return request;
        }
        return new TokenRequest(
                request.name(),
                request.project(),
                request.state(),
                request.permission(),
                request.ownerUser(),
                parent.expiresAt());
    }

    /** Stores a token for a request whose shape the caller checked; {@code parentId} null: no parent. */
    private IssuedToken issue(TokenRequest request, String parentId) {
        return issue(request, parentId, Secrets.randomId(ID_LENGTH));
    }

    /** {@link #issue(TokenRequest, String)} under the ID {@code id} (an existing one: IllegalArgumentException). */
    private IssuedToken issue(TokenRequest request, String parentId, String id) {
        if (request.project() != null) {
            metadata.requireProject(request.project());
        }
        String ownerId = null;
        if (request.ownerUser() != null) {
            ownerId = users.find(request.ownerUser())
                    .map(UserRecord::id)
                    .orElseThrow(() -> new InvalidInputException("user '" + request.ownerUser() + "' does not exist"));
        }
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
                null,
                ownerId,
                parentId);
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

    /**
     * What the token {@code id} may do now, its owner and every ancestor taken into account as when
     * it authenticates (its secret aside): empty if it is unknown, revoked or expired, or its lineage
     * fails. What a credential made with the token (an alias) is checked against at every request.
     */
    public Optional<Principal> principalOfToken(String id) {
        Instant now = clock.instant();
        return metadata.findToken(id)
                .filter(t -> !t.isRevoked() && !t.isExpired(now))
                .flatMap(this::principalOf);
    }

    /** The token {@code principal} authenticated with, when it is a live one (the same as {@link #parentOf}). */
    Optional<TokenRecord> tokenOf(Principal principal) {
        return Optional.ofNullable(parentOf(principal));
    }

    /** Longest chain of parents followed when a token authenticates. */
    private static final int MAX_LINEAGE = 32;

    /**
     * What the token may do now: its own scope, cut down to what its owner has (if it has one), and
     * to what each of its ancestors may do now: a token made by a token that was revoked, expired or
     * cut down since never does more than that parent (also when the revocation raced its creation).
     */
    private Optional<Principal> principalOf(TokenRecord t) {
        Optional<Principal> own = ownPrincipalOf(t);
        String parentId = t.parentId();
        Instant now = clock.instant();
        for (int depth = 0; own.isPresent() && parentId != null; depth++) {
            Optional<TokenRecord> parent = metadata.findToken(parentId);
            if (depth >= MAX_LINEAGE
                    || parent.isEmpty()
                    || parent.get().isRevoked()
                    || parent.get().isExpired(now)) {
                return Optional.empty();
            }
            Optional<Principal> parentMay = ownPrincipalOf(parent.get());
            if (parentMay.isEmpty()) {
                return Optional.empty();
            }
            Principal current = own.get();
            own = Optional.ofNullable(current.intersection(current.name(), parentMay.get()));
            parentId = parent.get().parentId();
        }
        return own;
    }

    /** The token's own scope, cut down to what its owner has (if it has one); ancestors aside. */
    private Optional<Principal> ownPrincipalOf(TokenRecord t) {
        StateKey state = t.state() == null ? null : new StateKey(t.project(), t.state());
        if (t.ownerUser() == null) {
            String name = "token:" + t.id();
            return Optional.of(
                    state != null
                            ? Principal.forState(name, state, t.permission())
                            : new Principal(name, t.project(), t.permission()));
        }
        return users.find(t.ownerUser())
                .filter(owner -> owner.id().equals(t.ownerUserId()))
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
