package dev.statefort.server.http.ui;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.IssuerHealth;
import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.core.identity.TrustPolicyAdministration;
import dev.statefort.core.identity.TrustPolicyForm;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A project's trust policies in the UI (its admins): the list, a form for a new one and a delete
 * button. Every rule and audit event is {@link TrustPolicyAdministration}'s, the same as the REST
 * API's and the CLI's. The claims are written one per line, {@code name=value}.
 */
public final class UiTrustPages {
    private static final Pattern POLICY_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final TrustPolicyAdministration policies;
    private final JwtVerifier verifier;
    private final Clock clock;
    private final UiView ui;

    public UiTrustPages(AccessUseCases access, Clock clock, UiView ui) {
        this.policies = access.trustAdmin();
        this.verifier = access.identities().verifier();
        this.clock = clock;
        this.ui = ui;
    }

    void list(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        Instant now = clock.instant();
        List<AccessPages.TrustPolicyRow> rows =
                policies.list(principal, project).stream().map(p -> row(p, now)).toList();
        String href = UiPages.projectHref(project) + "/trust-policies";
        ui.send(
                ex,
                200,
                "trust-policies.jte",
                chrome.page(
                        "Trust policies · " + project,
                        List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Trust policies", href))),
                new AccessPages.TrustPolicies(
                        project,
                        rows,
                        verifier.health().stream().map(IssuerHealth::name).toList(),
                        List.of(
                                new AccessPages.Option("outputs", "outputs", false),
                                new AccessPages.Option("read", "read", false),
                                new AccessPages.Option("write", "write", true))));
    }

    void create(Exchange ex, Principal principal, String project) throws IOException {
        policies.create(
                principal,
                project,
                new TrustPolicyForm(
                        ex.formField("name"),
                        ex.formField("issuer"),
                        claims(Objects.requireNonNullElse(ex.formField("claims"), "")),
                        ex.formField("permission"),
                        ex.formField("states")));
        ex.redirect(UiPages.projectHref(project) + "/trust-policies?done=trust-policy-created");
    }

    void delete(Exchange ex, Principal principal, String project, String id) throws IOException {
        if (!POLICY_ID.matcher(id).matches()) {
            throw new InvalidInputException("not a trust policy ID");
        }
        policies.delete(principal, project, id);
        ex.redirect(UiPages.projectHref(project) + "/trust-policies?done=trust-policy-deleted");
    }

    /** {@code name=value} per line; blank lines are skipped. */
    static Map<String, String> claims(String text) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("each claim is a line 'name=value', not '" + trimmed + "'");
            }
            claims.put(
                    trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
        return claims;
    }

    private static AccessPages.TrustPolicyRow row(TrustPolicy p, Instant now) {
        return new AccessPages.TrustPolicyRow(
                p.name(),
                p.issuer(),
                p.claims().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n")),
                p.permission().wireName(),
                p.states(),
                p.createdBy(),
                When.of(p.createdAt(), now),
                UiPages.projectHref(p.project()) + "/trust-policies/" + p.id() + "/delete");
    }
}
