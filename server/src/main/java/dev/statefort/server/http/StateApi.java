package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.HistoryService;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.PageRequest;
import dev.statefort.server.http.ApiViews.Items;
import dev.statefort.server.http.ApiViews.LockView;
import dev.statefort.server.http.ApiViews.PageView;
import dev.statefort.server.http.ApiViews.VersionView;
import dev.statefort.server.http.HistoryViews.DiffView;
import dev.statefort.server.http.HistoryViews.OutputDetail;
import dev.statefort.server.http.HistoryViews.QuarantineView;
import dev.statefort.server.http.HistoryViews.ResourceDetail;
import dev.statefort.server.http.HistoryViews.SessionView;
import dev.statefort.server.http.HistoryViews.SummaryView;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything under {@code /api/v1/projects/{p}/states/{s}}: versions, insight, diff, restore,
 * sessions, the lock, quarantine and permits. Reads need {@code read}; changes need {@code admin}.
 */
final class StateApi {
    private static final int DEFAULT_PAGE = 50;

    private final StateService states;
    private final HistoryService history;
    private final ObjectMapper json;

    StateApi(StateService states, HistoryService history, ObjectMapper json) {
        this.states = states;
        this.history = history;
        this.json = json;
    }

    /** {@code rest} are the path segments after {@code states/{s}}. */
    void handle(Exchange ex, Principal principal, StateKey key, String[] rest) throws IOException {
        String method = ex.method();
        // reads need read, every change here needs admin: checked before anything is looked up
        Authenticator.require(principal, key, method.equals("GET") ? Permission.READ : Permission.ADMIN);
        String route = String.join("/", Arrays.stream(rest).map(StateApi::shape).toList());
        switch (method + " " + route) {
            case "DELETE " -> deleteState(ex, principal, key);
            case "GET versions" -> listVersions(ex, principal, key);
            case "GET versions/N" -> send(ex, principal, key, VersionView.of(history.version(key, number(rest[1]))));
            case "DELETE versions/N" -> {
                admin(principal, key);
                history.deleteVersion(key, number(rest[1]), principal.name());
                ex.sendEmpty(204);
            }
            case "GET versions/N/content" -> content(ex, principal, key, number(rest[1]));
            case "GET versions/N/summary" -> summary(ex, principal, key, number(rest[1]));
            case "POST versions/N/restore" -> {
                admin(principal, key);
                written(ex, key, history.restore(key, number(rest[1]), principal.name()));
            }
            case "GET resources" -> resources(ex, principal, key);
            case "GET outputs" -> outputs(ex, principal, key);
            case "GET diff" -> diff(ex, principal, key);
            case "GET sessions" ->
                send(
                        ex,
                        principal,
                        key,
                        new Items<>(history.sessions(key).stream()
                                .map(SessionView::of)
                                .toList()));
            case "POST sessions/X/revert" -> {
                admin(principal, key);
                written(ex, key, history.revertSession(key, rest[1], principal.name()));
            }
            case "GET lock" -> lock(ex, principal, key);
            case "DELETE lock" -> {
                admin(principal, key);
                boolean released = history.forceUnlock(key, principal.name());
                ex.sendJson(200, json, Map.of("released", released));
            }
            case "GET quarantine" -> listQuarantine(ex, principal, key);
            case "GET quarantine/N" ->
                send(ex, principal, key, QuarantineView.of(history.quarantined(key, number(rest[1]))));
            case "GET quarantine/N/content" -> {
                Authenticator.require(principal, key, Permission.READ);
                long id = number(rest[1]);
                ex.stream(
                        200,
                        Exchange.JSON,
                        history.quarantined(key, id).version().size(),
                        history.quarantinedContent(key, id));
            }
            case "GET quarantine/N/diff" -> {
                Authenticator.require(principal, key, Permission.READ);
                long id = number(rest[1]);
                long current = history.current(key).number();
                Optional<dev.statefort.core.insight.StateDiff.Result> d = history.diffQuarantined(key, id);
                ex.sendJson(
                        200,
                        json,
                        new DiffView(
                                current,
                                id,
                                d.isPresent(),
                                d.isPresent() ? null : "contents not readable",
                                d.orElse(null)));
            }
            case "POST quarantine/N/promote" -> {
                admin(principal, key);
                switch (history.promote(key, number(rest[1]), principal.name())) {
                    case CommitResult.Committed c -> ex.sendJson(200, json, VersionView.of(c.version()));
                    case CommitResult.LockedBy l -> lockedBy(ex, l.holder());
                    case CommitResult.Fenced f -> fenced(ex, f.expired());
                }
            }
            case "DELETE quarantine/N" -> {
                admin(principal, key);
                history.discard(key, number(rest[1]), principal.name());
                ex.sendEmpty(204);
            }
            case "POST permit" -> {
                admin(principal, key);
                JsonNode body = ApiHandler.readJson(ex, json);
                int minutes = body.path("minutes").asInt(30);
                ex.sendJson(
                        200,
                        json,
                        Map.of(
                                "until",
                                history.permitDestructive(key, minutes, principal.name())
                                        .toString()));
            }
            case "GET outputs-access" -> ex.sendJson(200, json, outputsAccess(history.stateSettings(key)));
            case "PUT outputs-access" -> {
                JsonNode body = ApiHandler.readJson(ex, json);
                var saved = history.setOutputsAccess(
                        key,
                        names(body.get("outputsAllowed")),
                        names(body.get("sensitiveOutputsAllowed")),
                        principal.name());
                ex.sendJson(200, json, outputsAccess(saved));
            }
            case "DELETE permit" -> {
                admin(principal, key);
                history.revokePermit(key, principal.name());
                ex.sendEmpty(204);
            }
            default -> throw new NotFoundException("no API endpoint " + method + " " + ex.path());
        }
    }

    /** Version numbers become N, other variable segments X, fixed words stay. */
    private static String shape(String segment) {
        if (segment.matches("\\d+")) {
            return "N";
        }
        return switch (segment) {
            case "versions",
                    "content",
                    "summary",
                    "restore",
                    "resources",
                    "outputs",
                    "diff",
                    "sessions",
                    "revert",
                    "lock",
                    "quarantine",
                    "promote",
                    "permit",
                    "outputs-access" -> segment;
            default -> "X";
        };
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

    private void deleteState(Exchange ex, Principal principal, StateKey key) throws IOException {
        admin(principal, key);
        switch (states.delete(key, null, principal.name())) {
            case DeleteResult.Deleted d -> ex.sendEmpty(204);
            case DeleteResult.NotFound n -> throw new NotFoundException("state " + key + " does not exist");
            case DeleteResult.LockedBy l -> lockedBy(ex, l.holder());
        }
    }

    private void listVersions(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        int limit = ApiHandler.intParam(ex, "limit", DEFAULT_PAGE, 1, PageRequest.MAX_LIMIT);
        String before = ex.query("before");
        Long beforeNumber = before == null ? null : number(before);
        ex.sendJson(200, json, PageView.of(states.versions(key, new PageRequest(limit, beforeNumber))));
    }

    /** Newest first, {@code limit} (default 50) at a time; {@code before=ID} continues after a page. */
    private void listQuarantine(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        int limit = ApiHandler.intParam(ex, "limit", DEFAULT_PAGE, 1, PageRequest.MAX_LIMIT);
        String before = ex.query("before");
        Long beforeId = before == null ? null : number(before);
        List<QuarantineView> page = history.quarantine(key).stream()
                .filter(q -> beforeId == null || q.id() < beforeId)
                .limit(limit + 1L)
                .map(QuarantineView::of)
                .toList();
        boolean more = page.size() > limit;
        List<QuarantineView> items = more ? page.subList(0, limit) : page;
        send(ex, principal, key, new PageView<>(items, more ? items.getLast().id() : null));
    }

    private void content(Exchange ex, Principal principal, StateKey key, long n) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        StoredState version = states.readVersion(key, n);
        ex.stream(200, Exchange.JSON, version.version().size(), version.content());
    }

    private void summary(Exchange ex, Principal principal, StateKey key, long n) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        Optional<StateDocument> doc = history.document(key, n);
        ex.sendJson(200, json, doc.map(d -> SummaryView.of(n, d)).orElse(SummaryView.unreadable(n)));
    }

    private void resources(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        long current = history.current(key).number();
        Optional<StateDocument> doc = history.currentDocument(key);
        if (doc.isEmpty()) {
            ex.sendJson(200, json, Map.of("version", current, "readable", false, "message", "contents not readable"));
            return;
        }
        var items = doc.get().resourcesMatching(ex.query("filter")).stream()
                .map(ResourceDetail::of)
                .toList();
        ex.sendJson(200, json, Map.of("version", current, "readable", true, "items", items));
    }

    private void outputs(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        long current = history.current(key).number();
        Optional<StateDocument> doc = history.currentDocument(key);
        if (doc.isEmpty()) {
            ex.sendJson(200, json, Map.of("version", current, "readable", false, "message", "contents not readable"));
            return;
        }
        var items = doc.get().outputs().values().stream().map(OutputDetail::of).toList();
        ex.sendJson(200, json, Map.of("version", current, "readable", true, "items", items));
    }

    private void diff(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        String fromText = ex.query("from");
        String toText = ex.query("to");
        if (fromText == null || toText == null) {
            throw new InvalidInputException("diff needs ?from=<version>&to=<version>");
        }
        long from = number(fromText);
        long to = number(toText);
        var result = history.diff(key, from, to);
        ex.sendJson(
                200,
                json,
                new DiffView(
                        from,
                        to,
                        result.isPresent(),
                        result.isPresent() ? null : "contents not readable",
                        result.orElse(null)));
    }

    private void lock(Exchange ex, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        var view = history.lock(key);
        if (view.isEmpty()) {
            ex.sendJson(200, json, Map.of("locked", false));
            return;
        }
        ex.sendJson(
                200,
                json,
                Map.of(
                        "locked",
                        true,
                        "holder",
                        LockView.of(view.get().lock(), view.get().stale(), json)));
    }

    private void written(Exchange ex, StateKey key, WriteOutcome outcome) throws IOException {
        switch (outcome) {
            case WriteOutcome.Written w -> ex.sendJson(200, json, VersionView.of(w.version()));
            case WriteOutcome.Locked l -> lockedBy(ex, l.holder());
            case WriteOutcome.Fenced f -> fenced(ex, f.expired());
            case WriteOutcome.Refused r ->
                ex.sendJson(
                        409, json, ApiViews.ErrorView.of(409, TerraformBackendHandler.refusal(key, r.quarantined())));
        }
    }

    private void lockedBy(Exchange ex, dev.statefort.core.lock.LockRecord holder) throws IOException {
        ex.sendJson(
                423,
                json,
                Map.of(
                        "error",
                        Map.of("status", 423, "message", "the state is locked by " + holder.id()),
                        "holder",
                        LockView.of(holder, json)));
    }

    /** The REST error shape for a write under a lock that auto-expired (the backend sends the bare LockInfo). */
    private void fenced(Exchange ex, dev.statefort.core.lock.LockInfo expired) throws IOException {
        ex.sendJson(
                423,
                json,
                ApiViews.ErrorView.of(
                        423, "lock " + expired.id() + " expired after inactivity; writes under it are refused"));
    }

    private void send(Exchange ex, Principal principal, StateKey key, Object view) throws IOException {
        Authenticator.require(principal, key, Permission.READ);
        ex.sendJson(200, json, view);
    }

    private static void admin(Principal principal, StateKey key) {
        Authenticator.require(principal, key, Permission.ADMIN);
    }

    static long number(String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(
                "a version or quarantine number must be a positive integer, not '" + text + "'");
    }
}
