package dev.statefort.server.http.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.history.HistoryService;
import dev.statefort.core.insight.ApplySession;
import dev.statefort.core.insight.Masking;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.DestructiveWriteGuard;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.MaskedViews;
import dev.statefort.server.http.MaskedViews.OutputDetail;
import dev.statefort.server.http.MaskedViews.ResourceDetail;
import dev.statefort.server.http.OutcomeStatus;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The UI's history pages: a version (metadata, masked JSON, download, restore), the diff between two
 * versions, restore and revert-session, and the state page's sessions panel. Everything goes through
 * {@link VersionInsight} and {@link HistoryService} exactly as the REST API does; sensitive values are masked
 * by the same code ({@link Masking}, {@link MaskedViews}, {@link StateDiff}).
 */
public final class UiHistoryPages {
    /** The most versions the compare form offers. */
    private static final int COMPARE_LIMIT = 50;

    private final StateService states;
    private final VersionInsight insight;
    private final HistoryService history;
    private final Clock clock;
    private final UiView ui;
    private final ObjectMapper json;

    public UiHistoryPages(StateUseCases state, Clock clock, UiView ui, ObjectMapper json) {
        this.states = state.states();
        this.insight = state.insight();
        this.history = state.history();
        this.clock = clock;
        this.ui = ui;
        this.json = json;
    }

    /** One version: metadata, its content with sensitive values masked, download, compare and (admin) restore. */
    void version(Exchange ex, Chrome chrome, Principal principal, StateKey key, long n) throws IOException {
        VersionRecord v = insight.version(principal, key, n);
        boolean current = insight.current(principal, key).number() == n;
        Optional<ApplySession> session = history.sessions(principal, key).stream()
                .filter(s -> s.versions().contains(n))
                .findFirst();
        boolean intermediate = session.isPresent() && session.get().versions().getLast() != n;
        Optional<StateDocument> doc = insight.document(principal, key, n);
        String note = doc.isEmpty()
                ? "contents not readable: client-encrypted or not a Terraform state"
                : doc.get().resources().size() > UiPages.RESOURCE_LIMIT
                        ? "Showing the first " + UiPages.RESOURCE_LIMIT + " of "
                                + doc.get().resources().size() + " resources; the download has them all."
                        : null;
        Long previous = states.versions(principal, key, new PageRequest(1, n)).items().stream()
                .map(VersionRecord::number)
                .findFirst()
                .orElse(null);
        String stateHref = UiPages.stateHref(key);
        Instant now = clock.instant();
        ui.sendAnalysed(
                ex,
                insight,
                200,
                "version.jte",
                chrome.page("v" + n + " · " + key.name(), crumbs(key, "v" + n, versionHref(key, n))),
                () -> new HistoryPages.Version(
                        key.name(),
                        stateHref,
                        n,
                        v.serial(),
                        v.lineage(),
                        v.terraformVersion(),
                        v.resourceCount(),
                        v.sha256(),
                        When.bytes(v.size()),
                        v.principal(),
                        When.of(v.createdAt(), now),
                        v.lockId(),
                        operation(v.operation()),
                        v.flags(),
                        intermediate,
                        current,
                        doc.map(this::maskedJson).orElse(null),
                        note,
                        "/api/v1/projects/" + key.project() + "/states/" + key.name() + "/versions/" + n + "/content",
                        previous == null ? null : diffHref(key, previous, n),
                        !current && principal.allows(key, Permission.ADMIN) ? versionHref(key, n) + "/restore" : null));
    }

    /** The diff between {@code ?from=} and {@code ?to=}: resources and outputs, attribute by attribute, masked. */
    void diff(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        String fromText = ex.query("from");
        String toText = ex.query("to");
        if (fromText == null || toText == null) {
            throw new dev.statefort.core.InvalidInputException(
                    "a diff needs two versions: ?from=<version>&to=<version>");
        }
        long from = PathParams.number(fromText, "a version or quarantine number");
        long to = PathParams.number(toText, "a version or quarantine number");
        Optional<StateDiff.Result> result = insight.diff(principal, key, from, to);
        HistoryPages.Compare compare = compare(principal, key, from, to);
        ui.sendAnalysed(
                ex,
                insight,
                200,
                "diff.jte",
                chrome.page(
                        "v" + from + " → v" + to + " · " + key.name(), crumbs(key, "diff", diffHref(key, from, to))),
                () -> new HistoryPages.Diff(
                        key.name(),
                        UiPages.stateHref(key),
                        from,
                        to,
                        versionHref(key, from),
                        versionHref(key, to),
                        result.isPresent(),
                        result.map(StateDiff.Result::resourcesAdded).orElse(List.of()),
                        result.map(StateDiff.Result::resourcesRemoved).orElse(List.of()),
                        changedResources(result),
                        result.map(StateDiff.Result::outputsAdded).orElse(List.of()),
                        result.map(StateDiff.Result::outputsRemoved).orElse(List.of()),
                        changedOutputs(result),
                        result.map(StateDiff.Result::truncated).orElse(false),
                        compare));
    }

    /** Each changed resource with its changes as the page shows them. */
    private static List<HistoryPages.ResourceChange> changedResources(Optional<StateDiff.Result> result) {
        return result.map(r -> r.resourcesChanged().stream()
                        .map(c -> new HistoryPages.ResourceChange(
                                c.address(),
                                c.changes().stream()
                                        .map(a ->
                                                new HistoryPages.Change(a.path(), value(a.before()), value(a.after())))
                                        .toList()))
                        .toList())
                .orElse(List.of());
    }

    private static List<HistoryPages.Change> changedOutputs(Optional<StateDiff.Result> result) {
        return result.map(r -> r.outputsChanged().stream()
                        .map(o -> new HistoryPages.Change(o.name(), value(o.before()), value(o.after())))
                        .toList())
                .orElse(List.of());
    }

    /** Restores version {@code n} as the newest (admin, CSRF-checked by the caller, audited by the service). */
    void restore(Exchange ex, Chrome chrome, Principal principal, StateKey key, long n) throws IOException {
        written(ex, chrome, key, "restored", "Nothing was restored.", history.restore(principal, key, n));
    }

    /** Reverts an apply session: restores the version before it (admin, CSRF-checked by the caller, audited). */
    void revert(Exchange ex, Chrome chrome, Principal principal, StateKey key, String lockId) throws IOException {
        written(
                ex,
                chrome,
                key,
                "reverted",
                "The session was not reverted.",
                history.revertSession(principal, key, lockId));
    }

    /**
     * The state page's history panels: apply sessions and the compare form. {@code listed} are the version numbers
     * the page lists, newest first, {@code more} whether older ones exist: a session that begins with the oldest
     * version has nothing to revert to, so it gets no revert form.
     */
    static HistoryPages.Timeline timeline(
            HistoryService history, Instant now, Principal principal, StateKey key, List<Long> listed, boolean more) {
        boolean admin = principal.allows(key, Permission.ADMIN);
        Long oldest = more || listed.isEmpty() ? null : listed.getLast();
        var sessions = history.sessions(principal, key).stream()
                .map(s -> new HistoryPages.Session(
                        s.lockId(),
                        operation(s.operation()),
                        s.principal(),
                        When.of(s.startedAt(), now),
                        When.of(s.endedAt(), now),
                        s.versions().stream()
                                .map(v -> new HistoryPages.VersionLink(
                                        v,
                                        versionHref(key, v),
                                        v != s.versions().getLast()))
                                .toList(),
                        s.active(),
                        admin && (oldest == null || s.versions().getFirst() > oldest)
                                ? UiPages.stateHref(key) + "/sessions/"
                                        + URLEncoder.encode(s.lockId(), StandardCharsets.UTF_8)
                                                .replace("+", "%20")
                                        + "/revert"
                                : null))
                .toList();
        HistoryPages.Compare compare = listed.size() < 2
                ? null
                : new HistoryPages.Compare(diffAction(key), listed, listed.get(1), listed.get(0));
        return new HistoryPages.Timeline(sessions, compare, admin);
    }

    void written(Exchange ex, Chrome chrome, StateKey key, String done, String nothing, WriteOutcome outcome)
            throws IOException {
        String message =
                switch (outcome) {
                    case WriteOutcome.Written w -> null;
                    case WriteOutcome.Locked l
                    when l.holder().kind() == LockRecord.Kind.FREEZE ->
                        "The state is frozen: " + l.holder().info().textField("Info") + ". " + nothing
                                + " An admin lifts the freeze.";
                    case WriteOutcome.Locked l ->
                        "The state is locked by " + l.holder().principal() + " (lock "
                                + l.holder().id() + "). "
                                + nothing
                                + " Wait for the run to finish, or force-unlock the state if its holder is gone.";
                    case WriteOutcome.PlanLockOnly p -> "A plan lock does not allow writes. " + nothing;
                    case WriteOutcome.Fenced f ->
                        "The lock " + f.expired().id() + " expired while the write was under way. " + nothing;
                    case WriteOutcome.Refused r -> DestructiveWriteGuard.refusal(key, r.quarantined());
                };
        if (message == null) {
            ex.redirect(UiPages.stateHref(key) + "?done=" + done);
            return;
        }
        int status = OutcomeStatus.of(outcome);
        ui.send(
                ex,
                status,
                "error.jte",
                chrome.page("Refused · " + key.name(), crumbs(key, "refused", UiPages.stateHref(key))),
                new Pages.Error(status, HttpStatus.getMessage(status), message));
    }

    /** Resources and outputs as the REST resources and outputs endpoints show them: sensitive values masked. */
    private String maskedJson(StateDocument doc) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("terraform_version", doc.terraformVersion());
        view.put("serial", doc.serial());
        view.put("lineage", doc.lineage());
        view.put(
                "outputs", doc.outputs().values().stream().map(OutputDetail::of).toList());
        view.put(
                "resources",
                doc.resources().stream()
                        .limit(UiPages.RESOURCE_LIMIT)
                        .map(ResourceDetail::of)
                        .toList());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(view);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HistoryPages.Compare compare(Principal principal, StateKey key, long from, long to) {
        List<Long> listed = states.versions(principal, key, PageRequest.first(COMPARE_LIMIT)).items().stream()
                .map(VersionRecord::number)
                .toList();
        return new HistoryPages.Compare(diffAction(key), listed, from, to);
    }

    private static HistoryPages.Value value(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return new HistoryPages.Value(null, true, false);
        }
        if (node.equals(Masking.SENSITIVE)) {
            return new HistoryPages.Value(null, false, true);
        }
        return new HistoryPages.Value(node.isTextual() ? node.asText() : node.toString(), false, false);
    }

    /** {@code OperationTypeApply} as {@code Apply}; null stays null. */
    private static String operation(String op) {
        return op == null || op.isEmpty() ? null : op.replaceFirst("^OperationType", "");
    }

    private static List<Crumb> crumbs(StateKey key, String last, String href) {
        return List.of(
                new Crumb(key.project(), UiPages.projectHref(key.project())),
                new Crumb(key.name(), UiPages.stateHref(key)),
                new Crumb(last, href));
    }

    static String versionHref(StateKey key, long n) {
        return UiPages.stateHref(key) + "/versions/" + n;
    }

    private static String diffAction(StateKey key) {
        return UiPages.stateHref(key) + "/diff";
    }

    private static String diffHref(StateKey key, long from, long to) {
        return diffAction(key) + "?from=" + from + "&to=" + to;
    }
}
