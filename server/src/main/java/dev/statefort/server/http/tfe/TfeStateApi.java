package dev.statefort.server.http.tfe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.OutputValue;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.state.DestructiveWriteGuard;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.core.workspace.WorkspaceStateWrites;
import dev.statefort.core.workspace.Workspaces;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.QueryParams;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The TFE API's state versions and outputs over the state's versions: the current one and its
 * download, a new one written inline or through upload URLs, one by ID, the list, and the outputs
 * with their types. An outputs credential reads outputs only: its download is the outputs-only view
 * {@code /tf/} gives it, never the state.
 */
final class TfeStateApi {
    /** The header that tells a {@code cloud} block how often it may save an intermediate state. */
    static final String SNAPSHOT_INTERVAL = "X-Terraform-Snapshot-Interval";

    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 100;
    /** How far back a pending upload's serial is looked for. */
    private static final int PENDING_LOOKBACK = 20;
    /** Page numbers of the version list walk the keyset pages: bounded. */
    private static final int MAX_PAGE_NUMBER = 1_000;

    private final StateService states;
    private final VersionInsight insight;
    private final Workspaces workspaces;
    private final WorkspaceStateWrites writes;
    private final SettingsService settings;
    private final TfeDocuments documents;
    private final NodeMetrics metrics;

    TfeStateApi(StateUseCases useCases, SettingsService settings, TfeDocuments documents, NodeMetrics metrics) {
        this.metrics = metrics;
        this.states = useCases.states();
        this.insight = useCases.insight();
        this.workspaces = useCases.workspaces();
        this.writes = useCases.workspaceWrites();
        this.settings = settings;
        this.documents = documents;
    }

    /** The current version (404 before the first write: the client then starts from nothing). */
    void current(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        snapshotInterval(exchange, key);
        VersionRecord head = head(principal, key)
                .orElseThrow(() -> new NotFoundException("workspace " + key.name() + " has no state yet"));
        documents.send(exchange, 200, documents.single(documents.stateVersion(head, downloadUrl(exchange, head))));
    }

    /** Every output of the current version, sensitive values left out (the output's own read has them); none before the first write. */
    void currentOutputs(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        Optional<VersionRecord> head = head(principal, key);
        List<ObjectNode> items = new ArrayList<>();
        if (head.isPresent()) {
            for (OutputValue output : insight.currentOutputs(principal, key).values()) {
                items.add(documents.output(key, head.get().number(), output, false));
            }
        }
        documents.send(exchange, 200, documents.list(items, 1, 1, items.size()));
    }

    /** One output with its value (sensitive too, where the caller may read it). */
    void output(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        TfeIds.Output id = TfeIds.output(path.get("output"));
        OutputValue output = insight.outputs(principal, key, id.number()).get(id.name());
        if (output == null) {
            throw new NotFoundException("no output " + id.name() + " in that state version");
        }
        documents.send(exchange, 200, documents.single(documents.output(key, id.number(), output, true)));
    }

    /** Versions newest first, by page number over the keyset pages (a number past the end answers the last page). */
    void list(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        int size = QueryParams.integer(exchange, "page[size]", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int wanted = QueryParams.integer(exchange, "page[number]", 1, 1, MAX_PAGE_NUMBER);
        Page<VersionRecord> page = states.versions(principal, key, PageRequest.first(size));
        int reached = 1;
        while (reached < wanted && page.nextBefore() != null) {
            page = states.versions(principal, key, new PageRequest(size, page.nextBefore()));
            reached++;
        }
        List<ObjectNode> items = page.items().stream()
                .map(v -> documents.stateVersion(v, downloadUrl(exchange, v)))
                .toList();
        int pages = page.nextBefore() == null ? reached : reached + 1;
        long seen = (long) (reached - 1) * size + items.size();
        documents.send(exchange, 200, documents.list(items, reached, pages, seen));
    }

    /**
     * A new version the client declares ({@code serial}, {@code md5}, {@code lineage}, {@code force}):
     * with {@code state} inline it is written now; without, two upload URLs are returned for it.
     */
    void create(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        snapshotInterval(exchange, key);
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, states.maxStateBytes() * 4 / 3 * 2 + TfeInput.MAX_BODY_BYTES);
        JsonNode attributes = TfeInput.attributes(TfeInput.read(exchange, documents.mapper(), limit));
        WorkspaceStateWrites.Declared declared = new WorkspaceStateWrites.Declared(
                TfeInput.number(attributes, "serial"),
                JsonBodies.text(attributes, "lineage"),
                JsonBodies.text(attributes, "md5"),
                TfeInput.flag(attributes, "force"));
        String inline = JsonBodies.text(attributes, "state");
        if (inline == null) {
            WorkspaceStateWrites.UploadUrls urls = writes.grantUploads(principal, key, declared);
            ObjectNode pending = documents.pendingStateVersion(
                    key,
                    declared.serial(),
                    uploadUrl(exchange, urls.stateSecret()),
                    uploadUrl(exchange, urls.jsonStateSecret()));
            documents.send(exchange, 201, documents.single(pending));
            return;
        }
        byte[] state;
        try {
            state = Base64.getDecoder().decode(inline);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("state must be the state's bytes in base64");
        }
        WriteOutcome outcome = writes.writeInline(principal, key, declared, state);
        metrics.stateWrite(key.project(), outcome);
        VersionRecord written = written(key, outcome);
        documents.send(
                exchange, 201, documents.single(documents.stateVersion(written, downloadUrl(exchange, written))));
    }

    /** A version by ID; a pending upload's ID answers the version its upload wrote, or says it is pending. */
    void read(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        snapshotInterval(exchange, key);
        TfeIds.Version id = TfeIds.version(path.get("version"));
        Optional<VersionRecord> version = resolve(principal, key, id);
        ObjectNode resource = version.isPresent()
                ? documents.stateVersion(version.get(), downloadUrl(exchange, version.get()))
                : documents.pendingStateVersion(key, id.serial(), null, null);
        documents.send(exchange, 200, documents.single(resource));
    }

    /** The version's bytes, as {@code /tf/} serves them; to an outputs credential the outputs-only view of the current one. */
    void download(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        TfeIds.Version id = TfeIds.version(path.get("version"));
        VersionRecord version = resolve(principal, key, id)
                .orElseThrow(() -> new NotFoundException("that state version has not been uploaded"));
        if (!principal.allows(key, Permission.READ)) {
            byte[] outputs = insight.outputsOnly(principal, key)
                    .orElseThrow(() -> new NotFoundException("workspace " + key.name() + " has no state yet"));
            exchange.send(200, Exchange.JSON, outputs);
            return;
        }
        StoredState stored = states.readVersion(principal, key, version.number());
        exchange.stream(200, Exchange.JSON, stored.version().size(), stored.content());
    }

    /** An upload URL's PUT: no credentials, the URL's one-time grant instead. */
    void upload(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        WorkspaceStateWrites.Uploaded uploaded =
                writes.redeem(path.get("secret"), exchange.body(), exchange.remoteAddress());
        if (uploaded instanceof WorkspaceStateWrites.Uploaded.State state) {
            metrics.stateWrite(state.key().project(), state.outcome());
            written(state.key(), state.outcome());
        }
        exchange.sendEmpty(200);
    }

    private static VersionRecord written(StateKey key, WriteOutcome outcome) {
        return switch (outcome) {
            case WriteOutcome.Written w -> w.version();
            case WriteOutcome.Locked l ->
                throw new ConflictException("workspace " + key.name() + " is locked by "
                        + l.holder().principal() + " (lock ID " + l.holder().id() + ")");
            case WriteOutcome.Fenced f ->
                throw new ConflictException(
                        "the lock " + f.expired().id() + " expired and was released: nothing was written");
            case WriteOutcome.PlanLockOnly p -> throw new ConflictException(p.refusal());
            case WriteOutcome.Refused r ->
                throw new ConflictException(DestructiveWriteGuard.refusal(key, r.quarantined()));
        };
    }

    /**
     * The version an ID names: by number, or the newest one written with a pending upload's serial.
     * An outputs credential resolves the current version only.
     */
    private Optional<VersionRecord> resolve(Principal principal, StateKey key, TfeIds.Version id) {
        Optional<VersionRecord> head = head(principal, key);
        boolean isHead = head.isPresent()
                && (id.number() != null
                        ? head.get().number() == id.number()
                        : id.serial().equals(head.get().serial()));
        if (isHead) {
            return head;
        }
        if (!principal.allows(key, Permission.READ)) {
            if (id.number() != null) {
                throw new NotFoundException("an outputs credential reads the current state version only");
            }
            return Optional.empty();
        }
        if (id.number() != null) {
            return Optional.of(insight.version(principal, key, id.number()));
        }
        return states.versions(principal, key, PageRequest.first(PENDING_LOOKBACK)).items().stream()
                .filter(v -> id.serial().equals(v.serial()))
                .findFirst();
    }

    private Optional<VersionRecord> head(Principal principal, StateKey key) {
        return Optional.ofNullable(workspaces.require(principal, key).state().head());
    }

    private void snapshotInterval(Exchange exchange, StateKey key) {
        exchange.header(
                SNAPSHOT_INTERVAL,
                String.valueOf(settings.project(key.project()).snapshotInterval()));
    }

    private static String downloadUrl(Exchange exchange, VersionRecord version) {
        return exchange.baseUrl() + "/api/v2/state-versions/"
                + new TfeIds.Version(version.key(), version.number(), null).id() + "/download";
    }

    private static String uploadUrl(Exchange exchange, String secret) {
        return exchange.baseUrl() + "/api/v2/uploads/" + secret;
    }
}
