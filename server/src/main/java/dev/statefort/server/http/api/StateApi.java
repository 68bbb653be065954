package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.history.HistoryService;
import dev.statefort.core.insight.AnalysisPool;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.StatePolicies;
import dev.statefort.core.quarantine.QuarantineService;
import dev.statefort.core.state.DestructiveWriteGuard;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.MaskedViews.OutputDetail;
import dev.statefort.server.http.MaskedViews.ResourceDetail;
import dev.statefort.server.http.OutcomeStatus;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import dev.statefort.server.http.api.ApiViews.LockView;
import dev.statefort.server.http.api.ApiViews.PageView;
import dev.statefort.server.http.api.ApiViews.VersionView;
import dev.statefort.server.http.api.HistoryViews.DiffView;
import dev.statefort.server.http.api.HistoryViews.QuarantineView;
import dev.statefort.server.http.api.HistoryViews.SessionView;
import dev.statefort.server.http.api.HistoryViews.SummaryView;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything under {@code /api/v1/projects/{p}/states/{s}}: versions, insight, diff, restore,
 * sessions, the lock, quarantine and permits. The endpoints of {@link ApiHandler}'s table, which
 * checks first that reads have {@code read} and changes {@code admin}.
 */
public final class StateApi {
    private static final int DEFAULT_PAGE = 50;

    private final StateService states;
    private final VersionInsight insight;
    private final HistoryService history;
    private final LockService locks;
    private final QuarantineService quarantine;
    private final StatePolicies policies;
    private final dev.statefort.core.lock.FreezeAdministration freezes;
    private final ObjectMapper json;

    public StateApi(StateUseCases state, ObjectMapper json) {
        this.states = state.states();
        this.insight = state.insight();
        this.history = state.history();
        this.locks = state.locks();
        this.quarantine = state.quarantine();
        this.policies = state.policies();
        this.freezes = state.freezes();
        this.json = json;
    }

    void version(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, VersionView.of(insight.version(principal, path.state(), path.number("n"))));
    }

    void deleteVersion(Exchange ex, Principal principal, PathParams path) throws IOException {
        history.deleteVersion(principal, path.state(), path.number("n"));
        ex.sendEmpty(204);
    }

    /**
     * Uploads a state file as the state's new current version (a new state when it has none): a
     * write as a client's, so refused with 423 while another ID holds the lock (the holder passes
     * {@code ?ID=}) and judged by the destructive-write guard.
     */
    void upload(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        WriteOutcome outcome = states.write(WriteRequest.of(key, ex.body(), ex.contentLength(), principal)
                .underLock(ex.query("ID"))
                .withContentMd5(ex.header("Content-MD5")));
        if (outcome instanceof WriteOutcome.Written w) {
            ex.sendJson(201, json, VersionView.of(w.version()));
            return;
        }
        written(ex, key, outcome);
    }

    void restore(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        written(ex, key, history.restore(principal, key, path.number("n")));
    }

    void sessions(Exchange ex, Principal principal, PathParams path) throws IOException {
        var sessions = history.sessions(principal, path.state()).stream()
                .map(SessionView::of)
                .toList();
        ex.sendJson(200, json, new Items<>(sessions));
    }

    void revertSession(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        written(ex, key, history.revertSession(principal, key, path.get("lockId")));
    }

    void forceUnlock(Exchange ex, Principal principal, PathParams path) throws IOException {
        boolean released = locks.forceUnlock(principal, path.state());
        ex.sendJson(200, json, Map.of("released", released));
    }

    void quarantined(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, QuarantineView.of(quarantine.quarantined(principal, path.state(), path.number("n"))));
    }

    void quarantinedContent(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        long id = path.number("n");
        ex.stream(
                200,
                Exchange.JSON,
                quarantine.quarantined(principal, key, id).version().size(),
                quarantine.quarantinedContent(principal, key, id));
    }

    void quarantinedDiff(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        long id = path.number("n");
        long current = insight.current(principal, key).number();
        Optional<StateDiff.Result> d = quarantine.diffQuarantined(principal, key, id);
        sendAnalysed(ex, () -> DiffView.of(current, id, d));
    }

    void promote(Exchange ex, Principal principal, PathParams path) throws IOException {
        CommitResult result = quarantine.promote(principal, path.state(), path.number("n"));
        int status = OutcomeStatus.of(result);
        switch (result) {
            case CommitResult.Committed c -> ex.sendJson(status, json, VersionView.of(c.version()));
            case CommitResult.LockedBy l -> lockedBy(ex, json, status, l.holder());
            case CommitResult.Fenced f -> fenced(ex, status, f.expired());
        }
    }

    void discard(Exchange ex, Principal principal, PathParams path) throws IOException {
        quarantine.discard(principal, path.state(), path.number("n"));
        ex.sendEmpty(204);
    }

    void permit(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        int minutes = body.path("minutes").asInt(30);
        String until =
                policies.permitDestructive(principal, path.state(), minutes).toString();
        ex.sendJson(200, json, Map.of("until", until));
    }

    void revokePermit(Exchange ex, Principal principal, PathParams path) throws IOException {
        policies.revokePermit(principal, path.state());
        ex.sendEmpty(204);
    }

    void outputsAccess(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, outputsAccess(policies.stateSettings(principal, path.state())));
    }

    void setOutputsAccess(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        var saved = policies.setOutputsAccess(
                principal, path.state(), names(body.get("outputsAllowed")), names(body.get("sensitiveOutputsAllowed")));
        ex.sendJson(200, json, outputsAccess(saved));
    }

    private static Map<String, Object> outputsAccess(dev.statefort.core.policy.StateSettings s) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("outputsAllowed", s.outputsAllowed());
        view.put("sensitiveOutputsAllowed", s.sensitiveOutputsAllowed());
        return view;
    }

    /** A JSON array of output names, or null (absent or JSON null). */
    private static java.util.List<String> names(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("output lists must be JSON arrays of names, or null");
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        node.forEach(n -> {
            if (!n.isTextual()) {
                throw new InvalidInputException("output names must be strings");
            }
            names.add(n.asText());
        });
        return names;
    }

    void deleteState(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        DeleteResult result = states.delete(principal, key, null);
        switch (result) {
            case DeleteResult.Deleted d -> ex.sendEmpty(204);
            case DeleteResult.NotFound n -> throw new NotFoundException("state " + key + " does not exist");
            case DeleteResult.LockedBy l -> lockedBy(ex, json, OutcomeStatus.of(result), l.holder());
        }
    }

    void listVersions(Exchange ex, Principal principal, PathParams path) throws IOException {
        int limit = ApiInput.intParam(ex, "limit", DEFAULT_PAGE, 1, PageRequest.MAX_LIMIT);
        String before = ex.query("before");
        Long beforeNumber = before == null ? null : number(before);
        ex.sendJson(
                200, json, PageView.of(states.versions(principal, path.state(), new PageRequest(limit, beforeNumber))));
    }

    /** Newest first, {@code limit} (default 50) at a time; {@code before=ID} continues after a page. */
    void listQuarantine(Exchange ex, Principal principal, PathParams path) throws IOException {
        int limit = ApiInput.intParam(ex, "limit", DEFAULT_PAGE, 1, PageRequest.MAX_LIMIT);
        String before = ex.query("before");
        Long beforeId = before == null ? null : number(before);
        List<QuarantineView> page = quarantine.quarantine(principal, path.state()).stream()
                .filter(q -> beforeId == null || q.id() < beforeId)
                .limit(limit + 1L)
                .map(QuarantineView::of)
                .toList();
        boolean more = page.size() > limit;
        List<QuarantineView> items = more ? page.subList(0, limit) : page;
        ex.sendJson(200, json, new PageView<>(items, more ? items.getLast().id() : null));
    }

    void content(Exchange ex, Principal principal, PathParams path) throws IOException {
        StoredState version = states.readVersion(principal, path.state(), path.number("n"));
        ex.stream(200, Exchange.JSON, version.version().size(), version.content());
    }

    void summary(Exchange ex, Principal principal, PathParams path) throws IOException {
        long n = path.number("n");
        Optional<StateDocument> doc = insight.document(principal, path.state(), n);
        sendAnalysed(ex, () -> doc.map(d -> SummaryView.of(n, d)).orElse(SummaryView.unreadable(n)));
    }

    void resources(Exchange ex, Principal principal, PathParams path) throws IOException {
        sendCurrentItems(ex, principal, path.state(), doc -> doc.resourcesMatching(ex.query("filter")).stream()
                .map(ResourceDetail::of)
                .toList());
    }

    void outputs(Exchange ex, Principal principal, PathParams path) throws IOException {
        sendCurrentItems(ex, principal, path.state(), doc -> doc.outputs().values().stream()
                .map(OutputDetail::of)
                .toList());
    }

    /** The current version's {@code items}, or "contents not readable" when it cannot be parsed (client-encrypted). */
    private void sendCurrentItems(
            Exchange ex, Principal principal, StateKey key, Function<StateDocument, List<?>> items) throws IOException {
        long current = insight.current(principal, key).number();
        Optional<StateDocument> doc = insight.currentDocument(principal, key);
        if (doc.isEmpty()) {
            ex.sendJson(200, json, Map.of("version", current, "readable", false, "message", "contents not readable"));
            return;
        }
        sendAnalysed(ex, () -> Map.of("version", current, "readable", true, "items", items.apply(doc.get())));
    }

    /**
     * Builds and serializes an answer drawn from parsed versions on the analysis pool: for a large
     * state that is as much CPU as the parse, and it must not run on a thread that serves Terraform.
     */
    private void sendAnalysed(Exchange ex, AnalysisPool.Work<Object> view) throws IOException {
        ex.send(200, Exchange.JSON, insight.analyse(() -> json.writeValueAsBytes(view.run())));
    }

    void diff(Exchange ex, Principal principal, PathParams path) throws IOException {
        StateKey key = path.state();
        String fromText = ex.query("from");
        String toText = ex.query("to");
        if (fromText == null || toText == null) {
            throw new InvalidInputException("diff needs ?from=<version>&to=<version>");
        }
        long from = number(fromText);
        long to = number(toText);
        var result = insight.diff(principal, key, from, to);
        sendAnalysed(ex, () -> DiffView.of(from, to, result));
    }

    /**
     * The lock: {@code locked}, {@code holder} (the exclusive holder, or the oldest plan holder: the
     * shape clients read before plan locks), {@code holders} (every holder, each with its {@code
     * kind}) and {@code freeze} (the freeze in force, or absent).
     */
    void lock(Exchange ex, Principal principal, PathParams path) throws IOException {
        var holders = locks.holders(principal, path.state());
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("locked", !holders.isEmpty());
        if (!holders.isEmpty()) {
            body.put("holder", LockView.of(holders.get(0).lock(), holders.get(0).stale(), json));
        }
        body.put(
                "holders",
                holders.stream()
                        .map(h -> LockView.of(h.lock(), h.stale(), json))
                        .toList());
        freezes.of(principal, path.state()).ifPresent(f -> body.put("freeze", ApiViews.FreezeView.of(f)));
        ex.sendJson(200, json, body);
    }

    private void written(Exchange ex, StateKey key, WriteOutcome outcome) throws IOException {
        int status = OutcomeStatus.of(outcome);
        switch (outcome) {
            case WriteOutcome.Written w -> ex.sendJson(status, json, VersionView.of(w.version()));
            case WriteOutcome.Locked l -> lockedBy(ex, json, status, l.holder());
            case WriteOutcome.Fenced f -> fenced(ex, status, f.expired());
            case WriteOutcome.PlanLockOnly p ->
                ex.sendJson(status, json, ApiViews.ErrorView.of(ex, status, p.refusal()));
            case WriteOutcome.Refused r ->
                ex.sendJson(
                        status,
                        json,
                        ApiViews.ErrorView.of(ex, status, DestructiveWriteGuard.refusal(key, r.quarantined())));
        }
    }

    /** The REST error shape of a refusal because a lock (or a freeze, or a protection rule) holds the state. */
    static void lockedBy(Exchange ex, ObjectMapper json, int status, dev.statefort.core.model.LockRecord holder)
            throws IOException {
        ex.sendJson(
                status,
                json,
                Map.of(
                        "error",
                        Map.of(
                                "status",
                                status,
                                "message",
                                switch (holder.kind()) {
                                    case FREEZE ->
                                        "the state is frozen: " + holder.info().textField("Info");
                                    case PROTECTION -> holder.info().textField("Info");
                                    case PLAN -> "the state is locked by plan lock " + holder.id();
                                    default -> "the state is locked by " + holder.id();
                                },
                                "requestId",
                                ex.requestId()),
                        "holder",
                        LockView.of(holder, json)));
    }

    /** The REST error shape for a write under a lock that auto-expired (the backend sends the bare LockInfo). */
    private void fenced(Exchange ex, int status, dev.statefort.core.model.LockInfo expired) throws IOException {
        ex.sendJson(
                status,
                json,
                ApiViews.ErrorView.of(
                        ex, status, "lock " + expired.id() + " expired after inactivity; writes under it are refused"));
    }

    static long number(String text) {
        return PathParams.number(text, "a version or quarantine number");
    }
}
