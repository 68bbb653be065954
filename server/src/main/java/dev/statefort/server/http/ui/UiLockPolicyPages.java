package dev.statefort.server.http.ui;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.FreezeAdministration;
import dev.statefort.core.lock.ProtectionRuleAdministration;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A project's protection rules and change freezes in the UI (its admins): the rules with a form for
 * a new one, the freezes in force, a form to freeze the whole project. Every rule and audit event is
 * {@link ProtectionRuleAdministration}'s and {@link FreezeAdministration}'s, the same as the REST
 * API's and the CLI's.
 */
public final class UiLockPolicyPages {
    private final ProtectionRuleAdministration rules;
    private final FreezeAdministration freezes;
    private final AccessUseCases access;
    private final Clock clock;
    private final UiView ui;

    public UiLockPolicyPages(StateUseCases state, AccessUseCases access, Clock clock, UiView ui) {
        this.rules = state.protection();
        this.freezes = state.freezes();
        this.access = access;
        this.clock = clock;
        this.ui = ui;
    }

    static String href(String project) {
        return UiPages.projectHref(project) + "/protection";
    }

    void page(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        Instant now = clock.instant();
        String href = href(project);
        List<Pages.ProtectionRuleRow> ruleRows =
                rules.list(principal, project).stream().map(r -> row(r, now)).toList();
        List<Freeze> inForce = freezes.list(principal, project);
        Pages.FreezeRow projectFreeze = inForce.stream()
                .filter(f -> f.state() == null)
                .map(f -> freezeRow(f, now))
                .findFirst()
                .orElse(null);
        ui.send(
                ex,
                200,
                "protection.jte",
                chrome.page(
                        "Protection and freezes · " + project,
                        List.of(
                                new Crumb(project, UiPages.projectHref(project)),
                                new Crumb("Protection and freezes", href))),
                new Pages.Protection(
                        project,
                        href,
                        ruleRows,
                        projectFreeze,
                        inForce.stream()
                                .filter(f -> f.state() != null)
                                .map(f -> freezeRow(f, now))
                                .toList(),
                        access.trustAdmin().list(principal, project).stream()
                                .map(TrustPolicy::name)
                                .toList()));
    }

    void createRule(Exchange ex, Principal principal, String project) throws IOException {
        rules.create(
                principal,
                project,
                ex.formField("states"),
                words(ex.formField("allow")),
                words(ex.formField("allowTokens")));
        ex.redirect(href(project) + "?done=rule-created");
    }

    void deleteRule(Exchange ex, Principal principal, String project, String number) throws IOException {
        rules.delete(principal, project, number);
        ex.redirect(href(project) + "?done=rule-deleted");
    }

    void freezeProject(Exchange ex, Principal principal, String project) throws IOException {
        freezes.freeze(principal, project, null, ex.formField("reason"), until(ex.formField("until")));
        ex.redirect(href(project) + "?done=frozen");
    }

    void liftProject(Exchange ex, Principal principal, String project) throws IOException {
        freezes.lift(principal, project, null);
        ex.redirect(href(project) + "?done=unfrozen");
    }

    /** A form's {@code datetime-local} (taken as UTC) or ISO-8601 instant; null when empty. */
    static Instant until(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            return t.endsWith("Z") ? Instant.parse(t) : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("until must be a date and time such as 2026-12-24T00:00 (UTC)");
        }
    }

    /** Names separated by commas, spaces or lines. */
    private static List<String> words(String text) {
        return Arrays.stream(Objects.requireNonNullElse(text, "").split("[,\\s]+"))
                .filter(w -> !w.isBlank())
                .toList();
    }

    private static Pages.ProtectionRuleRow row(ProtectionRule r, Instant now) {
        return new Pages.ProtectionRuleRow(
                r.number(),
                r.states(),
                r.allowedText(),
                r.createdBy(),
                When.of(r.createdAt(), now),
                href(r.project()) + "/rules/" + r.number() + "/delete");
    }

    private static Pages.FreezeRow freezeRow(Freeze f, Instant now) {
        return new Pages.FreezeRow(
                f.state(),
                f.reason(),
                f.frozenBy(),
                When.of(f.frozenAt(), now),
                f.until() == null ? null : When.of(f.until(), now),
                f.state() == null
                        ? href(f.project()) + "/unfreeze"
                        : UiPages.stateHref(new dev.statefort.core.model.StateKey(f.project(), f.state()))
                                + "/freeze/lift");
    }
}
