package dev.statefort.server.http.ui;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.admin.AliasAdministration;
import dev.statefort.core.admin.AliasForm;
import dev.statefort.core.admin.TokenAdministration;
import dev.statefort.core.admin.TokenForm;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.server.http.BackendBlock;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.AccessPages.Option;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The UI's tokens (a user's own, a project's), the Connect panel's token for one state, and a
 * project's aliases. Every rule and every audit event is {@link TokenAdministration}'s and
 * {@link AliasAdministration}'s, the same as the REST API's and the CLI's; a new secret is shown on the one page that answers the POST that made it.
 */
public final class UiCredentialPages {
    private static final Pattern PROJECT_TOKENS = Pattern.compile("/ui/projects/[A-Za-z0-9._-]+/tokens");
    private static final Pattern ALIAS_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final TokenAdministration tokens;
    private final AliasAdministration aliases;
    private final ProjectService projects;
    private final Clock clock;
    private final UiView ui;

    public UiCredentialPages(AccessUseCases access, ProjectService projects, Clock clock, UiView ui) {
        this.tokens = access.tokenAdmin();
        this.aliases = access.aliasAdmin();
        this.projects = projects;
        this.clock = clock;
        this.ui = ui;
    }

    // ---- tokens -------------------------------------------------------------------------------------------------

    /** The user's own tokens ({@code project} null), or a project's for its admins, with the form for a new one. */
    void tokens(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        Instant now = clock.instant();
        String user = principal.userName();
        List<TokenRecord> list = project == null
                ? tokens.visible(principal, null).stream()
                        .filter(t -> Objects.equals(user, t.ownerUser()))
                        .toList()
                : tokens.visible(principal, Names.require("project", project));
        String back = project == null ? "/ui/tokens" : UiPages.projectHref(project) + "/tokens";
        var rows = list.stream()
                .sorted(Comparator.comparing(TokenRecord::createdAt).reversed())
                .map(t -> tokenRow(t, now))
                .toList();
        List<String> visible = projects.list().stream()
                .map(p -> p.name())
                .filter(principal::canSee)
                .toList();
        List<Option> projectOptions = new ArrayList<>();
        visible.forEach(p -> projectOptions.add(new Option(p, p, p.equals(project))));
        if (principal.isGlobalAdmin()) {
            // last, never the default: a token for every project is the rare case
            projectOptions.add(new Option("", "(all projects)", false));
        }
        List<String> adminOf = visible.stream()
                .filter(p -> principal.allows(p, Permission.ADMIN))
                .toList();
        var crumbs = project == null
                ? List.of(new Crumb("Tokens", back))
                : List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Tokens", back));
        ui.send(
                ex,
                200,
                "tokens.jte",
                chrome.page(project == null ? "Your tokens" : "Tokens · " + project, crumbs),
                new AccessPages.Tokens(
                        project, rows, projectOptions, permissions(true, "read"), adminOf, !adminOf.isEmpty(), back));
    }

    /** POST /ui/tokens: creates the token and shows it, this once. */
    void createToken(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        String project = blankToNull(ex.formField("project"));
        String state = blankToNull(ex.formField("state"));
        String owner = Objects.requireNonNullElse(blankToNull(ex.formField("owner")), "me");
        IssuedToken issued = create(
                principal,
                new TokenForm(
                        blankToNull(ex.formField("name")),
                        project,
                        state,
                        Permission.parse(Objects.requireNonNullElse(ex.formField("permission"), "")),
                        owner,
                        days(ex.formField("expiresInDays"))));
        TokenRecord made = issued.record();
        String back =
                project != null && owner.equals("project") ? UiPages.projectHref(project) + "/tokens" : "/ui/tokens";
        List<String[]> facts = List.of(
                new String[] {"Name", Objects.requireNonNullElse(made.name(), "—")},
                new String[] {"Scope", scope(made)},
                new String[] {"Permission", made.permission().wireName()},
                new String[] {"Owner", TokenAdministration.owner(made)},
                new String[] {
                    "Expires",
                    made.expiresAt() == null ? "never" : made.expiresAt().toString()
                });
        created(
                ex,
                chrome,
                new AccessPages.Created(
                        "Token created", "API token", issued.token(), facts, null, null, back, "Back to the tokens"));
    }

    private IssuedToken create(Principal principal, TokenForm form) {
        return tokens.create(principal, form.toRequest(principal, tokens));
    }

    /** POST /ui/tokens/{id}/revoke: after the confirmation in the list; back to the list it came from. */
    void revokeToken(Exchange ex, Principal principal, String id) throws IOException {
        String back = ex.formField("back");
        tokens.revoke(principal, id);
        String to = back != null && PROJECT_TOKENS.matcher(back).matches() ? back : "/ui/tokens";
        ex.redirect(to + "?done=token-revoked");
    }

    /**
     * POST /ui/projects/{p}/connect: the Connect panel's token, write permission on one state and
     * owned by the user, shown with the backend block and the environment to paste.
     */
    void connectToken(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        String state = Names.require("state", Objects.requireNonNullElse(ex.formField("state"), ""));
        IssuedToken issued = create(
                principal,
                new TokenForm(
                        "connect " + state,
                        project,
                        state,
                        Permission.WRITE,
                        "me",
                        days(ex.formField("expiresInDays"))));
        StateKey key = new StateKey(project, state);
        String address = BackendBlock.stateAddress(ex.baseUrl(), project, state);
        List<String[]> facts = List.of(
                new String[] {"Scope", scope(issued.record())},
                new String[] {"Permission", "write"},
                new String[] {"Address", address});
        created(
                ex,
                chrome.page("Connect " + state, List.of(new Crumb(project, UiPages.projectHref(project)))),
                new AccessPages.Created(
                        "Connect Terraform to " + state,
                        "API token (TF_HTTP_PASSWORD)",
                        issued.token(),
                        facts,
                        BackendBlock.hcl(address, "terraform"),
                        BackendBlock.environment(address, "terraform", issued.token()),
                        UiPages.stateHref(key),
                        "To the state"));
    }

    // ---- aliases ------------------------------------------------------------------------------------------------

    void aliases(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        Instant now = clock.instant();
        var rows = aliases.list(principal, project).stream()
                .sorted(Comparator.comparing(AliasRecord::createdAt).reversed())
                .map(a -> aliasRow(ex, a, now))
                .toList();
        String href = UiPages.projectHref(project) + "/aliases";
        ui.send(
                ex,
                200,
                "aliases.jte",
                chrome.page(
                        "Aliases · " + project,
                        List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Aliases", href))),
                new AccessPages.Aliases(project, rows, permissions(false, "write")));
    }

    void createAlias(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        AliasService.IssuedAlias issued = aliases.create(
                principal,
                project,
                new AliasForm(
                        Objects.requireNonNullElse(ex.formField("state"), ""),
                        Permission.parse(Objects.requireNonNullElse(ex.formField("permission"), "write")),
                        days(ex.formField("expiresInDays")),
                        null));
        aliasCreated(ex, chrome, project, issued, "Alias created");
    }

    /** POST /ui/projects/{p}/aliases/{id}/rotate or /revoke. */
    void aliasAction(Exchange ex, Chrome chrome, Principal principal, String project, String id, String action)
            throws IOException {
        if (!ALIAS_ID.matcher(id).matches()) {
            throw new InvalidInputException("not an alias ID");
        }
        if (action.equals("rotate")) {
            aliasCreated(ex, chrome, project, aliases.rotate(principal, project, id), "Alias rotated");
        } else {
            aliases.revoke(principal, project, id);
            ex.redirect(UiPages.projectHref(project) + "/aliases?done=alias-revoked");
        }
    }

    private void aliasCreated(
            Exchange ex, Chrome chrome, String project, AliasService.IssuedAlias issued, String heading)
            throws IOException {
        AliasRecord alias = issued.alias();
        String address = BackendBlock.aliasAddress(ex.baseUrl(), alias.id());
        List<String[]> facts = List.of(
                new String[] {"State", alias.state().name()},
                new String[] {"Permission", alias.permission().wireName()},
                new String[] {"Address", address},
                new String[] {"User name", alias.username()},
                new String[] {
                    "Expires",
                    alias.expiresAt() == null ? "never" : alias.expiresAt().toString()
                });
        created(
                ex,
                chrome.page(heading, List.of(new Crumb(project, UiPages.projectHref(project)))),
                new AccessPages.Created(
                        heading,
                        "Password (TF_HTTP_PASSWORD)",
                        issued.password(),
                        facts,
                        BackendBlock.hcl(address, alias.username()),
                        BackendBlock.environment(address, alias.username(), issued.password()),
                        UiPages.projectHref(project) + "/aliases",
                        "Back to the aliases"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The page that shows a new secret once; never cached (the UI's pages all send no-store). */
    private void created(Exchange ex, Chrome chrome, AccessPages.Created page) throws IOException {
        ex.header("Cache-Control", "no-store");
        ui.send(ex, 200, "created.jte", chrome.page(page.heading(), chrome.crumbs()), page);
    }

    private AccessPages.TokenRow tokenRow(TokenRecord t, Instant now) {
        String status = t.isRevoked() ? "revoked" : t.isExpired(now) ? "expired" : "active";
        return new AccessPages.TokenRow(
                t.id(),
                t.name(),
                scope(t),
                t.permission().wireName(),
                TokenAdministration.owner(t),
                When.of(t.createdAt(), now),
                When.ahead(t.expiresAt(), now),
                When.of(t.lastUsedAt(), now),
                status,
                status.equals("active"),
                "/ui/tokens/" + t.id() + "/revoke");
    }

    private AccessPages.AliasRow aliasRow(Exchange ex, AliasRecord a, Instant now) {
        String base = UiPages.projectHref(a.state().project()) + "/aliases/" + a.id();
        String status = a.isRevoked() ? "revoked" : a.isExpired(now) ? "expired" : "active";
        return new AccessPages.AliasRow(
                a.id(),
                a.state().name(),
                a.username(),
                a.permission().wireName(),
                ex.baseUrl() + "/tf/alias/" + a.id(),
                maker(a),
                When.of(a.createdAt(), now),
                When.ahead(a.expiresAt(), now),
                status,
                status.equals("active"),
                base + "/rotate",
                base + "/revoke");
    }

    /**
     * Who made an alias, as its row shows it: the user and token it works only while they still may
     * grant it, else its creator as audit names it (the CLI, a certificate, an alias made before
     * makers were recorded).
     */
    private static String maker(AliasRecord a) {
        AliasMaker m = a.maker();
        if (!m.isRecorded()) {
            return Objects.requireNonNullElse(a.createdBy(), "unknown");
        }
        String token = m.tokenId() == null ? null : "token " + m.tokenId();
        if (m.user() == null) {
            return token;
        }
        return token == null ? "user " + m.user() : "user " + m.user() + " with " + token;
    }

    private static String scope(TokenRecord t) {
        if (t.project() == null) {
            return "all projects";
        }
        return t.state() == null ? "project " + t.project() : "state " + t.project() + "/" + t.state();
    }

    private static List<Option> permissions(boolean withAdmin, String selected) {
        return Arrays.stream(Permission.values())
                .filter(p -> withAdmin || p != Permission.ADMIN)
                .map(p -> new Option(p.wireName(), p.wireName(), p.wireName().equals(selected)))
                .toList();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Integer days(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("the expiry must be a number of days (1..3650) or empty");
        }
    }
}
