package dev.statefort.server.http.tfe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.core.workspace.Workspace;
import dev.statefort.core.workspace.Workspaces;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The TFE API's organizations and workspaces: discovery, ping, entitlements, workspaces (states) by
 * name and ID, listed by name and tags, created, tagged, deleted, and their lock, which is the
 * state's lock: a TFE lock blocks a {@code /tf/} LOCK and the reverse.
 */
public final class TfeWorkspaceApi {
    /** The API version go-tfe reads from the ping; a {@code cloud} block needs at least 2.5. */
    static final String API_VERSION = "2.6";
    /** The operation a TFE lock shows to other clients (the TFE API does not say which command locks). */
    static final String LOCK_OPERATION = "OperationTypeTfeWorkspace";

    static final String LOCK_ID_PREFIX = "tfe-";
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 100;

    private final Workspaces workspaces;
    private final StateService states;
    private final LockService locks;
    private final ProjectService projects;
    private final TfeDocuments documents;
    private final Clock clock;

    public TfeWorkspaceApi(
            StateUseCases useCases,
            ProjectService projects,
            com.fasterxml.jackson.databind.ObjectMapper json,
            Clock clock) {
        this.workspaces = useCases.workspaces();
        this.states = useCases.states();
        this.locks = useCases.locks();
        this.projects = projects;
        this.documents = new TfeDocuments(json);
        this.clock = clock;
    }

    /** Service discovery: the TFE API versions the {@code cloud} block and {@code backend "remote"} look for. */
    static void discovery(Exchange exchange) throws IOException {
        exchange.send(
                200,
                Exchange.JSON,
                "{\"tfe.v2\":\"/api/v2/\",\"tfe.v2.1\":\"/api/v2/\",\"tfe.v2.2\":\"/api/v2/\"}"
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** What go-tfe reads before anything else: the API version and the application's name. */
    static void ping(Exchange exchange) throws IOException {
        exchange.header("TFP-API-Version", API_VERSION);
        exchange.header("TFP-AppName", "Statefort");
        exchange.sendEmpty(204);
    }

    /** Operations off (every run is local), state storage on: the client never asks for remote runs. */
    void entitlements(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        String project = path.project();
        // a CI job whose trust policies cover some states only is known to the project (its trace
        // names them) and may go on to those states' workspaces
        boolean knownByPolicy =
                principal.trace() != null && !principal.trace().trustPolicies().isEmpty();
        if (!principal.canSee(project) && !knownByPolicy) {
            throw new AccessDeniedException("this credential has no access to organization (project) " + project);
        }
        projects.require(project);
        send(exchange, 200, documents.single(documents.entitlements(project)));
    }

    void read(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        send(exchange, 200, documents.single(documents.workspace(existing(principal, key), principal)));
    }

    /** {@code search[name]} (a substring), {@code search[tags]} (every one of them), {@code page[number]}, {@code page[size]}. */
    void list(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        String name = blankToNull(exchange.query("search[name]"));
        Set<String> tags = new LinkedHashSet<>();
        String tagList = exchange.query("search[tags]");
        if (tagList != null) {
            Arrays.stream(tagList.split(","))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .forEach(tags::add);
        }
        int size = TfeInput.page(exchange, "page[size]", DEFAULT_PAGE_SIZE);
        if (size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("page[size] must be 1.." + MAX_PAGE_SIZE);
        }
        int page = TfeInput.page(exchange, "page[number]", 1);
        List<Workspace> all = workspaces.list(principal, path.project(), name, tags);
        int pages = Math.max(1, (all.size() + size - 1) / size);
        List<ObjectNode> items = all.stream()
                .skip((long) (page - 1) * size)
                .limit(size)
                .map(w -> documents.workspace(w, principal))
                .toList();
        send(exchange, 200, documents.list(items, page, pages, all.size()));
    }

    /** {@code terraform workspace new}: the state, empty, with the tags and Terraform version sent. */
    void create(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode body = TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES);
        JsonNode attributes = TfeInput.attributes(body);
        String name = TfeInput.text(attributes, "name");
        if (name == null) {
            throw new InvalidInputException("name is required");
        }
        List<String> tags = TfeInput.tagNames(
                body.path("data").path("relationships").path("tags").path("data"));
        List<String> tagNames = TfeInput.texts(attributes, "tag-names");
        Set<String> allTags = new LinkedHashSet<>();
        if (tags != null) {
            allTags.addAll(tags);
        }
        if (tagNames != null) {
            allTags.addAll(tagNames);
        }
        StateKey created = new StateKey(path.project(), name);
        Workspace workspace =
                workspaces.create(principal, created, allTags, TfeInput.text(attributes, "terraform-version"));
        send(exchange, 201, documents.single(documents.workspace(workspace, principal)));
    }

    /** What the client sets after creating one: its Terraform version (and tags, when sent). */
    void update(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode attributes = TfeInput.attributes(TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES));
        String newName = TfeInput.text(attributes, "name");
        if (newName != null && !newName.equals(key.name())) {
            throw new InvalidInputException("a workspace is a state: it cannot be renamed here");
        }
        Workspace workspace = workspaces.update(
                principal,
                key,
                TfeInput.texts(attributes, "tag-names"),
                TfeInput.text(attributes, "terraform-version"));
        send(exchange, 200, documents.single(documents.workspace(workspace, principal)));
    }

    void delete(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        DeleteResult result = states.delete(principal, key, null);
        switch (result) {
            case DeleteResult.Deleted d -> exchange.sendEmpty(204);
            case DeleteResult.NotFound n -> throw new NotFoundException("workspace " + key.name() + " not found");
            case DeleteResult.LockedBy l ->
                throw new ConflictException("workspace " + key.name() + " is locked by "
                        + l.holder().principal() + " (lock ID " + l.holder().id() + ")");
        }
    }

    void tags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        Workspace workspace = existing(principal, key);
        List<ObjectNode> items = workspace.tags().stream()
                .map(tag -> {
                    ObjectNode node = documents.mapper().createObjectNode();
                    node.put("id", "tag-" + tag);
                    node.put("type", "tags");
                    node.putObject("attributes").put("name", tag);
                    return node;
                })
                .toList();
        send(exchange, 200, documents.list(items, 1, 1, items.size()));
    }

    void addTags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        workspaces.addTags(principal, key, tagsOf(exchange));
        exchange.sendEmpty(204);
    }

    void removeTags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        workspaces.removeTags(principal, key, tagsOf(exchange));
        exchange.sendEmpty(204);
    }

    /**
     * The state's lock under a new ID, held by the caller; 409 while anyone holds it (the one answer
     * go-tfe reads as "locked", which {@code -lock-timeout} waits out), including an earlier TFE lock
     * of the same credential: two jobs sharing one token never hold it together.
     */
    void lock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode attributes = TfeInput.attributes(TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES));
        String reason = TfeInput.text(attributes, "reason");
        ObjectNode info = documents.mapper().createObjectNode();
        info.put("ID", LOCK_ID_PREFIX + UUID.randomUUID());
        info.put("Operation", LOCK_OPERATION);
        info.put("Info", reason == null ? "" : reason);
        info.put("Who", principal.name());
        String version = exchange.header("Terraform-Version");
        info.put("Version", version == null ? "" : version);
        info.put("Created", clock.instant().toString());
        info.put("Path", "");
        LockResult result = locks.lock(principal, key, documents.mapper().writeValueAsBytes(info));
        if (result instanceof LockResult.HeldBy held) {
            throw new ConflictException("workspace " + key.name() + " is already locked: " + describe(held.holder()));
        }
        read(exchange, principal, path, key);
    }

    /** Releases the caller's own lock; 409 when it is not locked, or locked by someone else. */
    void unlock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        LockRecord holder = locks.holders(principal, key).stream()
                .map(v -> v.lock())
                .filter(l -> l.kind() == LockRecord.Kind.EXCLUSIVE)
                .findFirst()
                .orElseThrow(() -> new ConflictException("workspace " + key.name() + " is not locked"));
        if (!holder.principal().equals(principal.name())) {
            throw new ConflictException("workspace " + key.name() + " is locked by User " + holder.principal()
                    + " (lock ID " + holder.id() + "): only its holder unlocks it; force-unlock releases it");
        }
        UnlockResult result = locks.unlock(principal, key, holder.info().json());
        if (result instanceof UnlockResult.HeldBy held) {
            throw new ConflictException("workspace " + key.name() + " is locked by " + describe(held.holder()));
        }
        read(exchange, principal, path, key);
    }

    /** Releases whatever lock is held (Terraform's {@code force-unlock <org>/<workspace>}); 409 when none is. */
    void forceUnlock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        exchange.readSmallBody(TfeInput.MAX_BODY_BYTES, "request body");
        UnlockResult result = locks.unlock(principal, key, new byte[0]);
        switch (result) {
            case UnlockResult.Released r -> read(exchange, principal, path, key);
            case UnlockResult.NotLocked n -> throw new ConflictException("workspace " + key.name() + " is not locked");
            case UnlockResult.Frozen f ->
                throw new ConflictException("workspace " + key.name() + " is frozen: "
                        + f.shown().info().textField("Info"));
            case UnlockResult.HeldBy h ->
                throw new ConflictException("workspace " + key.name() + " is locked by " + describe(h.holder()));
        }
    }

    private Workspace existing(Principal principal, StateKey key) {
        return workspaces
                .find(principal, key)
                .orElseThrow(() -> new NotFoundException("workspace " + key.name() + " not found in " + key.project()));
    }

    private List<String> tagsOf(Exchange exchange) throws IOException {
        JsonNode body = TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES);
        List<String> tags = TfeInput.tagNames(body.path("data"));
        if (tags == null) {
            throw new InvalidInputException("data must be a list of tags");
        }
        return tags;
    }

    /** Who holds it and why, as a refused client shows it. */
    private static String describe(LockRecord holder) {
        String operation = holder.info().operation();
        return holder.principal() + " (lock ID " + holder.id() + (operation == null ? "" : ", " + operation) + ")";
    }

    private void send(Exchange exchange, int status, ObjectNode document) throws IOException {
        exchange.send(status, TfeDocuments.MEDIA_TYPE, documents.mapper().writeValueAsBytes(document));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
