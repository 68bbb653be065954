package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.AliasRecord;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.auth.TokenRecord;
import dev.statefort.core.auth.TokenRequest;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.Names;
import dev.statefort.core.state.StateKey;
import dev.statefort.server.http.AccessViews.AliasView;
import dev.statefort.server.http.AccessViews.NewAliasView;
import dev.statefort.server.http.AccessViews.NewTokenView;
import dev.statefort.server.http.AccessViews.TokenView;
import dev.statefort.server.http.ApiViews.Items;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API tokens ({@code /api/v1/tokens[/{id}]}) and state aliases ({@code /api/v1/projects/{p}/aliases[/{id}[/rotate]]}). */
final class CredentialsApi {
    private final TokenService tokens;
    private final AliasService aliases;
    private final ProjectService projects;
    private final AuditService audit;
    private final Clock clock;
    private final ObjectMapper json;

    CredentialsApi(
            TokenService tokens,
            AliasService aliases,
            ProjectService projects,
            AuditService audit,
            Clock clock,
            ObjectMapper json) {
        this.tokens = tokens;
        this.aliases = aliases;
        this.projects = projects;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    // ---- tokens -----------------------------------------------------------------------------

    // tokens: every route first asks TokenService whether the caller may manage tokens at all

    void revokeToken(Exchange ex, Principal principal, PathParams path) throws IOException {
        tokens.requireMayManageTokens(principal);
        revokeToken(principal, path.get("id"));
        ex.sendEmpty(204);
    }

    /** Revokes a token its owner, a global admin or an admin of its project may manage (404 otherwise); audited. */
    TokenRecord revokeToken(Principal principal, String id) {
        TokenRecord token = tokens.find(id)
                .filter(t -> mayManage(principal, t))
                .orElseThrow(() -> new NotFoundException("no token " + id + " that you may revoke"));
        if (!tokens.revoke(token.id())) {
            throw new NotFoundException("token " + id + " is revoked already");
        }
        audit.record(principal.name(), "token.revoke", token.project(), token.state(), Map.of("token", token.id()));
        return token;
    }

    /** A global admin sees every token; {@code ?project=} a project admin that project's; anyone else their own. */
    void listTokens(Exchange ex, Principal principal, PathParams path) throws IOException {
        tokens.requireMayManageTokens(principal);
        List<TokenView> visible = visibleTokens(principal, ex.query("project")).stream()
                .map(TokenView::of)
                .toList();
        ex.sendJson(200, json, new Items<>(visible));
    }

    /** The tokens {@code principal} may list: of {@code project} (its admins), else every (global admin) or their own. */
    List<TokenRecord> visibleTokens(Principal principal, String project) {
        if (project != null) {
            Names.require("project", project);
            if (!principal.isGlobalAdmin()) {
                Authenticator.require(principal, project, Permission.ADMIN);
            }
        } else if (!principal.isGlobalAdmin() && principal.userName() == null) {
            throw new AccessDeniedException("list a project's tokens with ?project=<name> (needs admin there)");
        }
        java.util.function.Predicate<TokenRecord> own = tokens.ownedBy(principal);
        return tokens.list().stream()
                .filter(t -> project != null ? project.equals(t.project()) : principal.isGlobalAdmin() || own.test(t))
                .toList();
    }

    void createToken(Exchange ex, Principal principal, PathParams path) throws IOException {
        tokens.requireMayManageTokens(principal);
        JsonNode body = ApiInput.readJson(ex, json);
        Integer days = null;
        if (body.hasNonNull("expiresInDays")) {
            days = body.path("expiresInDays").asInt(-1);
        }
        IssuedToken issued = createToken(
                principal,
                new TokenForm(
                        text(body, "name"),
                        text(body, "project"),
                        text(body, "state"),
                        Permission.parse(body.path("permission").asText("")),
                        body.path("owner").asText(principal.userName() != null ? "me" : "project"),
                        days));
        ex.sendJson(201, json, new NewTokenView(TokenView.of(issued.record()), issued.token()));
    }

    /**
     * What a new token should be, as a client asks for it.
     *
     * @param owner {@code me} (the caller's own) or {@code project} (a robot token)
     * @param expiresInDays 1..3650, or null for never
     */
    record TokenForm(
            String name, String project, String state, Permission permission, String owner, Integer expiresInDays) {}

    /** The REST API's and the UI's one way to create a token: checked by {@link TokenService}, audited. */
    IssuedToken createToken(Principal principal, TokenForm form) {
        String project = form.project();
        String state = form.state();
        String ownerUser =
                switch (form.owner()) {
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
        Instant expiresAt = null;
        if (form.expiresInDays() != null) {
            int days = form.expiresInDays();
            if (days < 1 || days > 3650) {
                throw new InvalidInputException("expiresInDays must be 1..3650");
            }
            expiresAt = clock.instant().plus(Duration.ofDays(days));
        }
        if (project != null && principal.permissionIn(project) == null) {
            // an outsider gets the same 403 whether or not the project exists
            Authenticator.require(principal, project, Permission.READ);
        }
        if (project != null && projects.find(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        Permission permission = form.permission();
        IssuedToken issued = tokens.create(
                new TokenRequest(form.name(), project, state, permission, ownerUser, expiresAt), principal);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("token", issued.record().id());
        detail.put("permission", permission.wireName());
        detail.put("owner", TokenView.of(issued.record()).owner());
        audit.record(principal.name(), "token.create", project, state, detail);
        return issued;
    }

    private boolean mayManage(Principal principal, TokenRecord t) {
        if (principal.isGlobalAdmin()) {
            return true;
        }
        if (tokens.ownedBy(principal).test(t)) {
            return true;
        }
        return t.project() != null && principal.allows(t.project(), Permission.ADMIN);
    }

    // ---- aliases ----------------------------------------------------------------------------

    // aliases: the route table lets only the project's admins in

    void listAliases(Exchange ex, Principal principal, PathParams path) throws IOException {
        var views = aliases(principal, path.project()).stream()
                .map(a -> AliasView.of(a, ex.baseUrl()))
                .toList();
        ex.sendJson(200, json, new Items<>(views));
    }

    void revokeAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        revokeAlias(principal, path.project(), path.get("id"));
        ex.sendEmpty(204);
    }

    void rotateAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        AliasService.IssuedAlias rotated = rotateAlias(principal, path.project(), path.get("id"));
        ex.sendJson(200, json, NewAliasView.of(rotated.alias(), rotated.password(), ex.baseUrl()));
    }

    void createAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        AliasService.IssuedAlias issued = createAlias(
                principal,
                path.project(),
                body.path("state").asText(""),
                Permission.parse(body.path("permission").asText("write")));
        ex.sendJson(201, json, NewAliasView.of(issued.alias(), issued.password(), ex.baseUrl()));
    }

    /** A project's aliases, for its admins. */
    List<AliasRecord> aliases(Principal principal, String project) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        return aliases.list(project);
    }

    /** The REST API's and the UI's one way to revoke an alias: project admin, audited. */
    AliasRecord revokeAlias(Principal principal, String project, String id) {
        AliasRecord alias = alias(principal, project, id);
        if (!aliases.revoke(alias.id())) {
            throw new NotFoundException("alias " + alias.id() + " is revoked already");
        }
        audit.record(principal.name(), "alias.revoke", alias.state(), Map.of("alias", alias.id()));
        return alias;
    }

    /** The REST API's and the UI's one way to rotate an alias's password: project admin, audited. */
    AliasService.IssuedAlias rotateAlias(Principal principal, String project, String id) {
        AliasRecord alias = alias(principal, project, id);
        AliasService.IssuedAlias rotated = aliases.rotate(alias.id());
        audit.record(principal.name(), "alias.rotate", alias.state(), Map.of("alias", alias.id()));
        return rotated;
    }

    private AliasRecord alias(Principal principal, String project, String id) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        return aliases.find(id)
                .filter(a -> a.state().project().equals(project))
                .orElseThrow(() -> new NotFoundException("project '" + project + "' has no alias " + id));
    }

    /** The REST API's and the UI's one way to create an alias: project admin, audited. */
    AliasService.IssuedAlias createAlias(Principal principal, String project, String stateName, Permission permission) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        String state = Names.require("state", stateName);
        if (projects.find(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        StateKey key = new StateKey(project, state);
        AliasService.IssuedAlias issued = aliases.create(key, permission, principal.name());
        audit.record(
                principal.name(),
                "alias.create",
                key,
                Map.of("alias", issued.alias().id(), "permission", permission.wireName()));
        return issued;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
