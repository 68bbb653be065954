package dev.statefort.server.http.tfe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.core.workspace.Workspace;
import dev.statefort.core.workspace.WorkspaceLocks;
import dev.statefort.core.workspace.Workspaces;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.QueryParams;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TFE API's organizations and workspaces: discovery, ping, entitlements, workspaces (states) by
 * name and ID, listed by name and tags, created, tagged, deleted, and their lock ({@link
 * WorkspaceLocks}, the state's lock).
 */
final class TfeWorkspaceApi {
    /** The API version go-tfe reads from the ping; a {@code cloud} block needs at least 2.5. */
    static final String API_VERSION = "2.6";

    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 100;

    private final Workspaces workspaces;
    private final WorkspaceLocks locks;
    private final StateService states;
    private final ProjectService projects;
    private final TfeDocuments documents;
    private final NodeMetrics metrics;

    TfeWorkspaceApi(StateUseCases useCases, ProjectService projects, TfeDocuments documents, NodeMetrics metrics) {
        this.metrics = metrics;
        this.workspaces = useCases.workspaces();
        this.locks = useCases.workspaceLocks();
        this.states = useCases.states();
        this.projects = projects;
        this.documents = documents;
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

    /**
     * Operations off (every run is local), state storage on: the client never asks for remote runs.
     * Any access to the project will do, a one-state credential's included, or a CI identity whose
     * trust policies cover some of its states only (its trace names them): it goes on to those
     * states' workspaces.
     */
    void entitlements(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        String project = visibleProject(principal, path);
        documents.send(exchange, 200, documents.single(documents.entitlements(project)));
    }

    /**
     * HCP projects: a {@code project} in a {@code cloud} block's {@code workspaces} is accepted and
     * has no effect (the organization, a Statefort project, is what groups states), so the one asked
     * for ({@code filter[names]}) is always there and Terraform never tries to create one.
     */
    void projects(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        String project = visibleProject(principal, path);
        String name = exchange.query("filter[names]");
        ObjectNode only = documents.project(project, name == null || name.isBlank() ? project : name);
        documents.send(exchange, 200, documents.list(List.of(only), 1, 1, 1));
    }

    /**
     * The path's project, when the caller has any access to it: a one-state credential's included, or
     * a CI identity whose trust policies cover some of its states only (its trace names them); it goes
     * on to those states' workspaces.
     */
    private String visibleProject(Principal principal, PathParams path) {
        String project = path.project();
        boolean knownByPolicy =
                principal.trace() != null && !principal.trace().trustPolicies().isEmpty();
        if (!principal.canSee(project) && !knownByPolicy) {
            throw new AccessDeniedException("this credential has no access to organization (project) " + project);
        }
        projects.require(project);
        return project;
    }

    void read(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        documents.send(
                exchange, 200, documents.single(documents.workspace(workspaces.require(principal, key), principal)));
    }

    /** {@code search[name]} (a substring), {@code search[tags]} (every one of them), {@code page[number]}, {@code page[size]}. */
    void list(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        String name = exchange.query("search[name]");
        Set<String> tags = new LinkedHashSet<>();
        String tagList = exchange.query("search[tags]");
        if (tagList != null) {
            Arrays.stream(tagList.split(","))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .forEach(tags::add);
        }
        int size = QueryParams.integer(exchange, "page[size]", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        List<Workspace> all =
                workspaces.list(principal, path.project(), name == null || name.isBlank() ? null : name, tags);
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int page = Math.min(QueryParams.integer(exchange, "page[number]", 1, 1, Integer.MAX_VALUE), pages);
        List<ObjectNode> items = all.stream()
                .skip((long) (page - 1) * size)
                .limit(size)
                .map(w -> documents.workspace(w, principal))
                .toList();
        documents.send(exchange, 200, documents.list(items, page, pages, all.size()));
    }

    /** {@code terraform workspace new}: the state, empty, with the tags and Terraform version sent. */
    void create(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode body = TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES);
        JsonNode attributes = TfeInput.attributes(body);
        String name = JsonBodies.text(attributes, "name");
        if (name == null) {
            throw new InvalidInputException("name is required");
        }
        Set<String> tags = new LinkedHashSet<>();
        List<String> related = TfeInput.tagNames(
                body.path("data").path("relationships").path("tags").path("data"));
        if (related != null) {
            tags.addAll(related);
        }
        List<String> named = TfeInput.texts(attributes, "tag-names");
        if (named != null) {
            tags.addAll(named);
        }
        Workspace workspace = workspaces.create(
                principal, new StateKey(path.project(), name), tags, JsonBodies.text(attributes, "terraform-version"));
        documents.send(exchange, 201, documents.single(documents.workspace(workspace, principal)));
    }

    /** What the client sets after creating one: its Terraform version (and tags, when sent). */
    void update(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode attributes = TfeInput.attributes(TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES));
        String newName = JsonBodies.text(attributes, "name");
        if (newName != null && !newName.equals(key.name())) {
            throw new InvalidInputException("a workspace is a state: it cannot be renamed here");
        }
        Workspace workspace = workspaces.update(
                principal,
                key,
                TfeInput.texts(attributes, "tag-names"),
                JsonBodies.text(attributes, "terraform-version"));
        documents.send(exchange, 200, documents.single(documents.workspace(workspace, principal)));
    }

    void delete(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        switch (states.delete(principal, key, null)) {
            case DeleteResult.Deleted d -> exchange.sendEmpty(204);
            case DeleteResult.NotFound n -> throw new NotFoundException("workspace " + key.name() + " not found");
            case DeleteResult.LockedBy l ->
                throw new ConflictException("workspace " + key.name() + " is locked by "
                        + l.holder().principal() + " (lock ID " + l.holder().id() + ")");
        }
    }

    void tags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        List<ObjectNode> items = workspaces.require(principal, key).tags().stream()
                .map(documents::tag)
                .toList();
        documents.send(exchange, 200, documents.list(items, 1, 1, items.size()));
    }

    void addTags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        workspaces.addTags(principal, key, tagsOf(exchange));
        exchange.sendEmpty(204);
    }

    void removeTags(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        workspaces.removeTags(principal, key, tagsOf(exchange));
        exchange.sendEmpty(204);
    }

    /** 200 with the workspace, or 409 while anyone holds it (what {@code -lock-timeout} waits out). */
    void lock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        JsonNode attributes = TfeInput.attributes(TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES));
        try {
            locks.lock(principal, key, JsonBodies.text(attributes, "reason"), exchange.header("Terraform-Version"));
        } catch (ConflictException held) {
            metrics.lockRequest(key.project(), false);
            throw held;
        }
        metrics.lockRequest(key.project(), true);
        read(exchange, principal, path, key);
    }

    void unlock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        exchange.readSmallBody(TfeInput.MAX_BODY_BYTES, "request body");
        locks.unlock(principal, key);
        read(exchange, principal, path, key);
    }

    void forceUnlock(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException {
        exchange.readSmallBody(TfeInput.MAX_BODY_BYTES, "request body");
        locks.forceUnlock(principal, key);
        read(exchange, principal, path, key);
    }

    private List<String> tagsOf(Exchange exchange) throws IOException {
        JsonNode body = TfeInput.read(exchange, documents.mapper(), TfeInput.MAX_BODY_BYTES);
        List<String> tags = TfeInput.tagNames(body.path("data"));
        if (tags == null) {
            throw new InvalidInputException("data must be a list of tags");
        }
        return tags;
    }
}
