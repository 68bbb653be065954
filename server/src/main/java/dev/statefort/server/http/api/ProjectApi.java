package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.admin.SettingsAdministration;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.usecases.ProjectUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import dev.statefort.server.http.api.ApiViews.ProjectView;
import dev.statefort.server.http.api.ApiViews.StateView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Projects, their settings, their states and the audit log in the REST API. */
public final class ProjectApi {
    private final StateService states;
    private final ProjectService projects;
    private final SettingsAdministration settings;
    private final AuditService audit;
    private final ObjectMapper json;

    public ProjectApi(ProjectUseCases projects, StateService states, ObjectMapper json) {
        this.states = states;
        this.projects = projects.projects();
        this.settings = projects.settingsAdmin();
        this.audit = projects.audit();
        this.json = json;
    }

    void listProjects(Exchange exchange, Principal principal, PathParams path) throws IOException {
        var visible = projects.list().stream()
                .filter(p -> principal.canSee(p.name()))
                .map(ProjectView::of)
                .toList();
        exchange.sendJson(200, json, new Items<>(visible));
    }

    void createProject(Exchange exchange, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(exchange, json);
        JsonNode name = body.path("name");
        JsonNode storage = body.path("storage");
        if (!name.isTextual()
                || !(storage.isMissingNode() || storage.isNull() || storage.isTextual())
                || (storage.isTextual() && storage.asText().isBlank())) {
            throw new InvalidInputException(
                    "body must be {\"name\": \"<project name>\"} or {\"name\": ..., \"storage\": \"<profile>\"}");
        }
        String profile = storage.isTextual() ? storage.asText() : null;
        exchange.sendJson(201, json, ProjectView.of(projects.create(principal, name.asText(), profile)));
    }

    void getProject(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, ProjectView.of(projects.require(path.project())));
    }

    void listStates(Exchange exchange, Principal principal, PathParams path) throws IOException {
        var views = states.states(principal, path.project()).stream()
                .map(st -> StateView.of(st, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(views));
    }

    void getSettings(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, settings.settings(principal, path.project()));
    }

    /** PUT and PATCH alike: the body's keys replace those settings, the others stay. */
    void patchSettings(Exchange exchange, Principal principal, PathParams path) throws IOException {
        byte[] body = exchange.readSmallBody(ApiInput.MAX_JSON_BYTES, "settings");
        exchange.sendJson(
                200, json, settings.patch(principal, path.project(), new String(body, StandardCharsets.UTF_8)));
    }

    /** Audit events: a project admin sees their project's, a global admin everything. */
    void listAudit(Exchange exchange, Principal principal, PathParams path) throws IOException {
        audit.requireReader(principal, exchange.query("project"));
        int limit = ApiInput.intParam(exchange, "limit", 100, 1, 1000);
        AuditQuery query = new AuditQuery(
                exchange.query("project"),
                exchange.query("state"),
                exchange.query("principal"),
                exchange.query("action"),
                ApiInput.instantParam(exchange, "from"),
                ApiInput.instantParam(exchange, "to"),
                limit,
                exchange.query("before"));
        var items = audit.read(principal, query).stream()
                .map(e -> HistoryViews.AuditView.of(e, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(items));
    }
}
