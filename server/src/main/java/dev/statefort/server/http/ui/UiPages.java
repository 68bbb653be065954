package dev.statefort.server.http.ui;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.history.HistoryService;
import dev.statefort.core.insight.Masking;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.TooLargeToAnalyseException;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.usecases.ProjectUseCases;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.BackendBlock;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.net.URLEncoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The UI's pages of projects and states, read through the same services and permission checks as the REST API. */
public final class UiPages {
    /** The most resources a version page puts in its JSON; the download has them all. */
    static final int RESOURCE_LIMIT = 500;

    /** The resources on one page of a state's resource list. */
    static final int RESOURCE_PAGE_SIZE = 100;

    private static final int VERSION_LIMIT = 50;
    private static final int VALUE_LIMIT = 300;
    private static final List<String[]> SORTS = List.of(
            new String[] {"name", "Name"},
            new String[] {"written", "Last write"},
            new String[] {"locked", "Locked first"},
            new String[] {"size", "Size"},
            new String[] {"resources", "Resources"});

    private final StateService states;
    private final VersionInsight insight;
    private final HistoryService history;
    private final LockService locks;
    private final dev.statefort.core.lock.FreezeAdministration freezes;
    private final ProjectService projects;
    private final SettingsService settings;
    private final Clock clock;
    private final UiView ui;

    public UiPages(StateUseCases state, ProjectUseCases projects, Clock clock, UiView ui) {
        this.states = state.states();
        this.insight = state.insight();
        this.history = state.history();
        this.locks = state.locks();
        this.freezes = state.freezes();
        this.projects = projects.projects();
        this.settings = projects.settings();
        this.clock = clock;
        this.ui = ui;
    }

    /** The projects the user can see, each with its counts of states and locks and its last activity. */
    void projects(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        Instant now = clock.instant();
        var rows = projects.list().stream()
                .filter(p -> principal.canSee(p.name()))
                .map(p -> {
                    // an outputs-only member sees the project listed but not its states (the API lists them for read)
                    List<StateRecord> list = principal.allows(p.name(), Permission.READ)
                            ? states.states(principal, p.name())
                            : List.of();
                    int locked =
                            (int) list.stream().filter(s -> s.lock() != null).count();
                    Instant last = list.stream()
                            .map(UiPages::lastActivity)
                            .max(Comparator.naturalOrder())
                            .orElse(null);
                    return new Pages.ProjectRow(
                            p.name(), projectHref(p.name()), list.size(), locked, When.of(last, now));
                })
                .toList();
        ui.send(ex, 200, "projects.jte", chrome.page("Projects", List.of()), new Pages.Projects(rows));
    }

    /** A project's states, searched and sorted; an empty project shows how to connect Terraform. */
    void project(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        List<StateRecord> all = states.states(principal, project);
        Instant now = clock.instant();
        Duration staleAfter = staleAfter(project);
        String q = Optional.ofNullable(ex.query("q")).orElse("").trim();
        String sort = SORTS.stream()
                .map(s -> s[0])
                .filter(s -> s.equals(ex.query("sort")))
                .findFirst()
                .orElse("name");
        var rows = all.stream()
                .filter(s -> s.key().name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                .sorted(order(sort))
                .map(s -> stateRow(s, now, staleAfter))
                .toList();
        var sorts = SORTS.stream()
                .map(s -> new Pages.SortLink(s[1], s[0], projectHref(project) + "?sort=" + s[0], s[0].equals(sort)))
                .toList();
        Pages.Connect connect =
                all.isEmpty() ? connect(ex, project, "main", principal.allows(project, Permission.WRITE)) : null;
        ui.send(
                ex,
                200,
                "project.jte",
                chrome.page(project, List.of(new Crumb(project, projectHref(project)))),
                new Pages.Project(
                        project,
                        q,
                        sort,
                        sorts,
                        rows,
                        all.size(),
                        connect,
                        principal.allows(project, Permission.ADMIN),
                        principal.allows(project, Permission.WRITE) ? UiUploadPages.form(project, null) : null));
    }

    /** One state: its current version, lock, resources (filtered), outputs (sensitive ones masked) and versions. */
    void state(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        StateRecord record = find(principal, key);
        Instant now = clock.instant();
        Optional<StateDocument> doc = Optional.empty();
        if (record.head() != null) {
            try {
                doc = insight.currentDocument(principal, key);
            } catch (TooLargeToAnalyseException tooLarge) {
                chrome = chrome.withNotice(tooLarge.getMessage());
            }
        }
        Pages.Summary summary = record.head() == null ? null : summary(record.head(), doc.isPresent(), now);
        List<Pages.LockPanel> lockPanels = locks.holders(principal, key).stream()
                .map(l -> lockPanel(l.lock(), l.stale(), now))
                .toList();
        Pages.FreezePanel freeze = freezes.of(principal, key)
                .map(f -> new Pages.FreezePanel(
                        f.reason(),
                        f.frozenBy(),
                        When.of(f.frozenAt(), now),
                        f.until() == null ? null : When.of(f.until(), now),
                        f.state() != null))
                .orElse(null);
        Optional<StateDocument> parsed = doc;
        String filter = ex.query("filter");
        String pageNumber = ex.query("page");
        Page<VersionRecord> versions = states.versions(principal, key, PageRequest.first(VERSION_LIMIT));
        long current = record.head() == null ? -1 : record.head().number();
        var versionRows = versions.items().stream()
                .map(v -> new Pages.VersionRow(
                        v.number(),
                        When.of(v.createdAt(), now),
                        v.principal(),
                        When.bytes(v.size()),
                        v.serial(),
                        v.resourceCount(),
                        v.operation(),
                        v.flags(),
                        v.number() == current))
                .toList();
        String href = stateHref(key);
        List<String> tags = settings.state(key).tagList();
        var timeline = UiHistoryPages.timeline(
                history,
                now,
                principal,
                key,
                versionRows.stream().map(Pages.VersionRow::number).toList(),
                versions.nextBefore() != null);
        var connectPanel = connect(ex, key.project(), key.name(), principal.allows(key, Permission.WRITE));
        // filtering and paging the parsed state, and rendering it, run on the analysis pool, like the parse
        ui.sendAnalysed(
                ex,
                insight,
                200,
                "state.jte",
                chrome.page(
                        key.name() + " · " + key.project(),
                        List.of(new Crumb(key.project(), projectHref(key.project())), new Crumb(key.name(), href))),
                () -> new Pages.State(
                        key.project(),
                        key.name(),
                        tags,
                        href,
                        summary,
                        lockPanels,
                        principal.allows(key, Permission.ADMIN),
                        href + "/unlock",
                        freeze,
                        href + "/freeze",
                        parsed.map(d -> resources(d, href, filter, pageNumber)).orElse(null),
                        parsed.map(UiPages::outputRows).orElse(List.of()),
                        versionRows,
                        versions.nextBefore() != null,
                        timeline,
                        connectPanel,
                        principal.allows(key, Permission.WRITE)
                                ? UiUploadPages.form(key.project(), key.name())
                                : null));
    }

    /** Force-unlock from the lock panel: admin, CSRF-checked by the caller, audited by the service. */
    void forceUnlock(Exchange ex, Principal principal, StateKey key) throws IOException {
        boolean released = locks.forceUnlock(principal, key);
        ex.redirect(stateHref(key) + "?done=" + (released ? "unlocked" : "not-locked"));
    }

    /** Freezes the state from its page (admin, CSRF-checked by the caller, audited by the use case). */
    void freeze(Exchange ex, Principal principal, StateKey key) throws IOException {
        freezes.freeze(
                principal,
                key.project(),
                key.name(),
                ex.formField("reason"),
                UiLockPolicyPages.until(ex.formField("until")));
        ex.redirect(stateHref(key) + "?done=frozen");
    }

    /** Lifts the state's own freeze from its page. */
    void unfreeze(Exchange ex, Principal principal, StateKey key) throws IOException {
        freezes.lift(principal, key.project(), key.name());
        ex.redirect(stateHref(key) + "?done=unfrozen");
    }

    private StateRecord find(Principal principal, StateKey key) {
        return states.state(principal, key)
                .orElseThrow(() -> new NotFoundException("state " + key + " does not exist"));
    }

    private Pages.StateRow stateRow(StateRecord s, Instant now, Duration staleAfter) {
        VersionRecord head = s.head();
        Pages.LockBadge lock = s.lock() == null
                ? null
                : new Pages.LockBadge(
                        holder(s.lock()),
                        operation(s.lock()),
                        When.of(s.lock().acquiredAt(), now),
                        s.lock().staleAt(now, staleAfter));
        return new Pages.StateRow(
                s.key().name(),
                stateHref(s.key()),
                lock,
                s.planLocks(),
                head == null ? null : When.of(head.createdAt(), now),
                head == null ? null : head.principal(),
                head == null ? "" : When.bytes(head.size()),
                head == null ? null : head.resourceCount());
    }

    private static Comparator<StateRecord> order(String sort) {
        Comparator<StateRecord> byName = Comparator.comparing(s -> s.key().name());
        Comparator<StateRecord> primary =
                switch (sort) {
                    case "written" ->
                        Comparator.comparing(
                                (StateRecord s) -> s.head() == null
                                        ? Instant.MIN
                                        : s.head().createdAt(),
                                Comparator.reverseOrder());
                    case "locked" -> Comparator.comparing((StateRecord s) -> s.lock() == null);
                    case "size" ->
                        Comparator.comparing(
                                (StateRecord s) ->
                                        s.head() == null ? -1L : s.head().size(),
                                Comparator.reverseOrder());
                    case "resources" ->
                        Comparator.comparing(
                                (StateRecord s) -> s.head() == null || s.head().resourceCount() == null
                                        ? -1
                                        : s.head().resourceCount(),
                                Comparator.reverseOrder());
                    default -> byName;
                };
        return primary.thenComparing(byName);
    }

    private Pages.Summary summary(VersionRecord head, boolean readable, Instant now) {
        return new Pages.Summary(
                head.number(),
                head.serial(),
                head.lineage(),
                head.terraformVersion(),
                When.bytes(head.size()),
                head.resourceCount(),
                head.sha256(),
                head.principal(),
                When.of(head.createdAt(), now),
                readable);
    }

    private Pages.LockPanel lockPanel(LockRecord lock, boolean stale, Instant now) {
        return new Pages.LockPanel(
                lock.plan(),
                lock.id(),
                lock.principal(),
                shown(lock.info().who()),
                operation(lock),
                shown(lock.info().textField("Info")),
                When.of(lock.acquiredAt(), now),
                When.of(lock.lastActivityAt(), now),
                stale);
    }

    /**
     * One page of the resources the filter (a substring of the address or type, case-insensitive) matches.
     * A {@code page} that is not a whole number from 1 is refused (400); one past the last page shows the
     * last page, so a link kept from before the state shrank still shows something.
     */
    private static List<Pages.OutputRow> outputRows(StateDocument doc) {
        return doc.outputs().values().stream()
                .map(o -> new Pages.OutputRow(
                        o.name(),
                        o.sensitive() ? null : shorten(Masking.outputValue(o).toString()),
                        o.sensitive()))
                .toList();
    }

    static Pages.Resources resources(StateDocument doc, String href, String filter, String page) {
        String f = filter == null ? "" : filter.trim();
        var matching = doc.resourcesMatching(f);
        int pages = Math.max(1, (matching.size() + RESOURCE_PAGE_SIZE - 1) / RESOURCE_PAGE_SIZE);
        int n = Math.min(pageNumber(page), pages);
        int offset = (n - 1) * RESOURCE_PAGE_SIZE;
        var rows = matching.subList(offset, Math.min(matching.size(), offset + RESOURCE_PAGE_SIZE)).stream()
                .map(r -> new Pages.ResourceRow(r.address(), r.mode(), r.type(), r.module()))
                .toList();
        return new Pages.Resources(
                f,
                rows,
                matching.size(),
                doc.resources().size(),
                n,
                pages,
                rows.isEmpty() ? 0 : offset + 1,
                offset + rows.size(),
                n > 1 ? resourcePageHref(href, f, n - 1) : null,
                n < pages ? resourcePageHref(href, f, n + 1) : null);
    }

    private static int pageNumber(String page) {
        if (page == null || page.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(page.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidInputException("page must be a whole number from 1");
    }

    private static String resourcePageHref(String href, String filter, int page) {
        return href + "?" + (filter.isEmpty() ? "" : "filter=" + URLEncoder.encode(filter, UTF_8) + "&") + "page="
                + page;
    }

    private Pages.Connect connect(Exchange ex, String project, String state, boolean canMint) {
        String address = BackendBlock.stateAddress(ex.baseUrl(), project, state);
        String block = BackendBlock.hcl(address, "terraform");
        String env = BackendBlock.environment(address, "terraform", "sft_...   # an API token");
        return new Pages.Connect(state, address, block, env, canMint);
    }

    private Duration staleAfter(String project) {
        return Duration.ofMinutes(settings.project(project).lockStaleMinutes());
    }

    private static Instant lastActivity(StateRecord s) {
        Instant written = s.head() == null ? s.createdAt() : s.head().createdAt();
        Instant locked = s.lock() == null ? null : s.lock().lastActivityAt();
        return locked != null && locked.isAfter(written) ? locked : written;
    }

    private String holder(LockRecord lock) {
        String who = shown(lock.info().who());
        return who == null ? lock.principal() : lock.principal() + " (" + who + ")";
    }

    private static String operation(LockRecord lock) {
        String op = lock.info().operation();
        return op == null || op.isEmpty() ? "unknown operation" : op.replaceFirst("^OperationType", "");
    }

    /** A LockInfo text as the UI shows it: blank as nothing, long text shortened. */
    private static String shown(String value) {
        return value == null || value.isBlank() ? null : shorten(value);
    }

    private static String shorten(String s) {
        return s.length() <= VALUE_LIMIT ? s : s.substring(0, VALUE_LIMIT) + "…";
    }

    static String projectHref(String project) {
        return UiHandler.PREFIX + "projects/" + project;
    }

    static String stateHref(StateKey key) {
        return projectHref(key.project()) + "/states/" + key.name();
    }
}
