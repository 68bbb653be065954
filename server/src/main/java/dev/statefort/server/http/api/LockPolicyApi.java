package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.FreezeAdministration;
import dev.statefort.core.lock.ProtectionRuleAdministration;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.FreezeView;
import dev.statefort.server.http.api.ApiViews.Items;
import dev.statefort.server.http.api.ApiViews.ProtectionRuleView;
import java.io.IOException;
import java.time.Instant;

/**
 * What keeps changes away from states: a project's protection rules ({@code
 * /api/v1/projects/{p}/protection-rules[/{id}]}) and change freezes of a project ({@code
 * /api/v1/projects/{p}/freeze}) or a state ({@code .../states/{s}/freeze}): JSON in and out of
 * {@link ProtectionRuleAdministration} and {@link FreezeAdministration}.
 */
public final class LockPolicyApi {
    private final ProtectionRuleAdministration rules;
    private final FreezeAdministration freezes;
    private final ObjectMapper json;

    public LockPolicyApi(StateUseCases state, ObjectMapper json) {
        this.rules = state.protection();
        this.freezes = state.freezes();
        this.json = json;
    }

    void listRules(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200,
                json,
                new Items<>(rules.list(principal, path.project()).stream()
                        .map(ProtectionRuleView::of)
                        .toList()));
    }

    void createRule(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        var rule = rules.create(
                principal,
                path.project(),
                ApiInput.text(body, "states"),
                ApiInput.strings(body, "allow"),
                ApiInput.strings(body, "allowTokens"));
        ex.sendJson(201, json, ProtectionRuleView.of(rule));
    }

    void deleteRule(Exchange ex, Principal principal, PathParams path) throws IOException {
        rules.delete(principal, path.project(), path.get("id"));
        ex.sendEmpty(204);
    }

    void listFreezes(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200,
                json,
                new Items<>(freezes.list(principal, path.project()).stream()
                        .map(FreezeView::of)
                        .toList()));
    }

    /** POST .../freeze on a project or a state: {@code {"reason": "...", "until": "2026-12-24T00:00:00Z"}}. */
    void freeze(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        Freeze freeze = freezes.freeze(
                principal,
                path.project(),
                path.has("state") ? path.state().name() : null,
                ApiInput.text(body, "reason"),
                until(ApiInput.text(body, "until")));
        ex.sendJson(201, json, FreezeView.of(freeze));
    }

    void lift(Exchange ex, Principal principal, PathParams path) throws IOException {
        freezes.lift(principal, path.project(), path.has("state") ? path.state().name() : null);
        ex.sendEmpty(204);
    }

    /** An ISO-8601 time ({@code 2026-12-24T00:00:00Z}), or null when absent or blank; 400 otherwise. */
    static Instant until(String text) {
        return text == null || text.isBlank() ? null : ApiInput.instant("until", text.strip());
    }
}
