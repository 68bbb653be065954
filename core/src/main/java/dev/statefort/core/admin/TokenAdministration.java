package dev.statefort.core.admin;

import dev.statefort.core.ConflictException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.project.ProjectService;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * API tokens: the one way for the REST API, the UI and the CLI to create, list and revoke them. A
 * caller manages its own tokens; a project's admins that project's; a global admin every token.
 * {@link TokenService} decides what a new token may grant.
 */
public final class TokenAdministration {
    /** The longest expiry a token may be given, in days. */
    public static final int MAX_EXPIRY_DAYS = Expiry.MAX_DAYS;

    /** How many working tokens a token that is not an admin may have minted at once (statefort run's). */
    public static final int MAX_LIVE_RUN_TOKENS = 100;

    private final TokenService tokens;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;

    public TokenAdministration(TokenService tokens, ProjectService projects, AuditService audit, Clock clock) {
        this.tokens = tokens;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
    }

    /** 403 unless the caller may manage tokens at all (a UI session, the CLI, or an admin token of a whole project). */
    public void requireMayManage(Principal actor) {
        tokens.requireMayManageTokens(actor);
    }

    /** When a token given {@code days} (1..3650) expires, or null (never) for null. */
    public Instant expiry(Integer days) {
        return Expiry.of(days, null, clock.instant());
    }

    /** When a token given {@code minutes} (1..3650 days' worth) expires. */
    public Instant expiryInMinutes(int minutes) {
        return Expiry.of(null, minutes, clock.instant());
    }

    /**
     * Creates a token (its secret is returned once): checked by {@link TokenService}, for an existing
     * project, audited as {@code token.create} (with its parent token, when made with one). Besides
     * whoever may manage tokens, a token that may write a state may mint a child for that state alone
     * ({@link TokenService#isRunToken}: {@code statefort run}).
     */
    public IssuedToken create(Principal actor, TokenRequest request) {
        if (!tokens.isRunToken(actor, request)) {
            requireMayManage(actor);
        } else if (tokens.liveChildrenOf(actor) >= MAX_LIVE_RUN_TOKENS) {
            throw new ConflictException("this token has minted " + MAX_LIVE_RUN_TOKENS + " tokens that still work;"
                    + " revoke some (statefort run revokes its own) before minting more");
        }
        String project = request.project();
        if (project != null && actor.permissionIn(project) == null) {
            // an outsider gets the same 403 whether or not the project exists
            Authorization.require(actor, project, Permission.READ);
        }
        if (project != null) {
            projects.require(project);
        }
        IssuedToken issued = tokens.create(request, actor);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("token", issued.record().id());
        detail.put("permission", request.permission().wireName());
        detail.put("owner", owner(issued.record()));
        if (issued.record().parentId() != null) {
            detail.put("parent", issued.record().parentId());
        }
        audit.record(actor, AuditAction.TOKEN_CREATE, project, request.state(), detail);
        return issued;
    }

    /** The tokens the caller may list: of {@code project} (its admins), else every (global admin) or their own. */
    public List<TokenRecord> visible(Principal actor, String project) {
        requireMayManage(actor);
        if (project != null) {
            Names.require("project", project);
            if (!actor.isGlobalAdmin()) {
                Authorization.require(actor, project, Permission.ADMIN);
            }
        } else if (!actor.isGlobalAdmin() && actor.userName() == null) {
            throw new AccessDeniedException("list a project's tokens with ?project=<name> (needs admin there)");
        }
        Predicate<TokenRecord> own = tokens.ownedBy(actor);
        return tokens.list().stream()
                .filter(t -> project != null ? project.equals(t.project()) : actor.isGlobalAdmin() || own.test(t))
                .toList();
    }

    /**
     * Revokes a token the caller may manage, or one the caller's token minted (404 otherwise, and if
     * revoked already); audited as {@code token.revoke}.
     */
    public TokenRecord revoke(Principal actor, String id) {
        java.util.Optional<TokenRecord> found = tokens.find(id);
        boolean minted = found.isPresent() && tokens.isChildOfCaller(actor, found.get());
        if (!minted) {
            requireMayManage(actor); // a token that may not manage tokens still revokes the ones it minted
        }
        TokenRecord token = found.filter(t -> minted || mayManage(actor, t))
                .orElseThrow(() -> new NotFoundException("no token " + id + " that you may revoke"));
        if (!tokens.revoke(token.id())) {
            throw new NotFoundException("token " + id + " is revoked already");
        }
        audit.record(actor, AuditAction.TOKEN_REVOKE, token.project(), token.state(), Map.of("token", token.id()));
        return token;
    }

    /** Who a token acts for, as the API and the audit log show it: {@code user:<name>}, {@code project:<p>} or {@code system}. */
    public static String owner(TokenRecord t) {
        if (t.ownerUser() != null) {
            return "user:" + t.ownerUser();
        }
        return t.project() == null ? "system" : "project:" + t.project();
    }

    private boolean mayManage(Principal actor, TokenRecord t) {
        if (actor.isGlobalAdmin()) {
            return true;
        }
        if (tokens.ownedBy(actor).test(t)) {
            return true;
        }
        return t.project() != null && actor.allows(t.project(), Permission.ADMIN);
    }
}
