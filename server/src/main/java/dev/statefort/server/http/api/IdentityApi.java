package dev.statefort.server.http.api;

import static dev.statefort.server.http.api.ApiViews.iso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.IssuerHealth;
import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.core.identity.TrustPolicyAdministration;
import dev.statefort.core.identity.TrustPolicyForm;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CI identity: the configured OIDC issuers ({@code GET /api/v1/oidc/issuers}, global admins) and a
 * project's trust policies ({@code /api/v1/projects/{p}/trust-policies[/{id}]}, its admins): JSON in
 * and out of {@link TrustPolicyAdministration}.
 */
public final class IdentityApi {
    private final TrustPolicyAdministration policies;
    private final JwtVerifier verifier;
    private final ObjectMapper json;

    public IdentityApi(AccessUseCases access, ObjectMapper json) {
        this.policies = access.trustAdmin();
        this.verifier = access.identities().verifier();
        this.json = json;
    }

    /** A trust policy as the API shows it. */
    record TrustPolicyView(
            String id,
            String project,
            String name,
            String issuer,
            Map<String, String> claims,
            String permission,
            String states,
            String createdBy,
            String createdAt) {
        static TrustPolicyView of(TrustPolicy p) {
            return new TrustPolicyView(
                    p.id(),
                    p.project(),
                    p.name(),
                    p.issuer(),
                    p.claims(),
                    p.permission().wireName(),
                    p.states(),
                    p.createdBy(),
                    iso(p.createdAt()));
        }
    }

    /** A configured issuer and how fetching its keys goes: never a secret (an issuer has none). */
    record IssuerView(
            String name,
            String issuer,
            String audience,
            String jwksUrl,
            String status,
            int keys,
            String lastFetch,
            String lastError) {
        static IssuerView of(IssuerHealth h) {
            return new IssuerView(
                    h.name(),
                    h.issuer(),
                    h.audience(),
                    h.jwksUrl(),
                    h.status(),
                    h.keys(),
                    iso(h.lastFetch()),
                    h.lastError());
        }
    }

    void listIssuers(Exchange ex, Principal principal, PathParams path) throws IOException {
        Authorization.requireGlobalAdmin(principal, "listing OIDC issuers");
        ex.sendJson(
                200,
                json,
                new Items<>(verifier.health().stream().map(IssuerView::of).toList()));
    }

    void listPolicies(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200,
                json,
                new Items<>(policies.list(principal, path.project()).stream()
                        .map(TrustPolicyView::of)
                        .toList()));
    }

    void getPolicy(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, TrustPolicyView.of(policies.find(principal, path.project(), path.get("id"))));
    }

    void deletePolicy(Exchange ex, Principal principal, PathParams path) throws IOException {
        policies.delete(principal, path.project(), path.get("id"));
        ex.sendEmpty(204);
    }

    void createPolicy(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        TrustPolicy created = policies.create(
                principal,
                path.project(),
                new TrustPolicyForm(
                        ApiInput.text(body, "name"),
                        ApiInput.text(body, "issuer"),
                        claims(body.path("claims")),
                        ApiInput.text(body, "permission"),
                        ApiInput.text(body, "states")));
        ex.sendJson(201, json, TrustPolicyView.of(created));
    }

    /** {@code claims}: an object of strings (a number or boolean is taken as its text). */
    private static Map<String, String> claims(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException("\"claims\" must be an object of claim name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new InvalidInputException("the value of claim '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
