package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.admin.AliasAdministration;
import dev.statefort.core.admin.AliasForm;
import dev.statefort.core.admin.TokenAdministration;
import dev.statefort.core.admin.TokenForm;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.AccessViews.AliasView;
import dev.statefort.server.http.api.AccessViews.NewAliasView;
import dev.statefort.server.http.api.AccessViews.NewTokenView;
import dev.statefort.server.http.api.AccessViews.TokenView;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;
import java.util.List;

/**
 * API tokens ({@code /api/v1/tokens[/{id}]}) and state aliases ({@code /api/v1/projects/{p}/aliases[/{id}[/rotate]]}):
 * JSON in and out of {@link TokenAdministration} and {@link AliasAdministration}.
 */
public final class CredentialsApi {
    private final TokenAdministration tokens;
    private final AliasAdministration aliases;
    private final ObjectMapper json;

    public CredentialsApi(AccessUseCases access, ObjectMapper json) {
        this.tokens = access.tokenAdmin();
        this.aliases = access.aliasAdmin();
        this.json = json;
    }

    // ---- tokens -----------------------------------------------------------------------------

    void revokeToken(Exchange ex, Principal principal, PathParams path) throws IOException {
        tokens.revoke(principal, path.get("id"));
        ex.sendEmpty(204);
    }

    /** A global admin sees every token; {@code ?project=} a project admin that project's; anyone else their own. */
    void listTokens(Exchange ex, Principal principal, PathParams path) throws IOException {
        List<TokenView> visible = tokens.visible(principal, ex.query("project")).stream()
                .map(TokenView::of)
                .toList();
        ex.sendJson(200, json, new Items<>(visible));
    }

    /** By whoever may manage tokens, or by a token minting a child for one state it may write (statefort run). */
    void createToken(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        TokenForm form = new TokenForm(
                ApiInput.text(body, "name"),
                ApiInput.text(body, "project"),
                ApiInput.text(body, "state"),
                Permission.parse(body.path("permission").asText("")),
                body.path("owner").asText(principal.userName() != null ? "me" : "project"),
                integer(body, "expiresInDays"),
                integer(body, "expiresInMinutes"));
        IssuedToken issued = tokens.create(principal, form.toRequest(principal, tokens));
        ex.sendJson(201, json, new NewTokenView(TokenView.of(issued.record()), issued.token()));
    }

    // ---- aliases ----------------------------------------------------------------------------

    // aliases: the route table lets only the project's admins in

    void listAliases(Exchange ex, Principal principal, PathParams path) throws IOException {
        var views = aliases.list(principal, path.project()).stream()
                .map(a -> AliasView.of(a, ex.baseUrl()))
                .toList();
        ex.sendJson(200, json, new Items<>(views));
    }

    void revokeAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        aliases.revoke(principal, path.project(), path.get("id"));
        ex.sendEmpty(204);
    }

    void rotateAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        AliasService.IssuedAlias rotated = aliases.rotate(principal, path.project(), path.get("id"));
        ex.sendJson(200, json, NewAliasView.of(rotated.alias(), rotated.password(), ex.baseUrl()));
    }

    void createAlias(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        AliasService.IssuedAlias issued = aliases.create(
                principal,
                path.project(),
                new AliasForm(
                        body.path("state").asText(""),
                        Permission.parse(body.path("permission").asText("write")),
                        integer(body, "expiresInDays"),
                        integer(body, "expiresInMinutes")));
        ex.sendJson(201, json, NewAliasView.of(issued.alias(), issued.password(), ex.baseUrl()));
    }

    /** An optional whole number; anything else present counts as -1 (refused by the range check). */
    private static Integer integer(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.path(field).asInt(-1) : null;
    }
}
