package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.policy.ProjectSettings;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.Names;
import dev.statefort.core.state.StateService;
import dev.statefort.server.http.ApiViews.Items;
import dev.statefort.server.http.ApiViews.ProjectView;
import dev.statefort.server.http.ApiViews.StateView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Projects, their settings, their states and the audit log in the REST API (and the UI's one way to the same rules). */
final class ProjectApi {
    private final StateService states;
    private final ProjectService projects;
    private final SettingsService settings;
    private final AuditService audit;
    private final ObjectMapper json;

    ProjectApi(
            StateService states,
            ProjectService projects,
            SettingsService settings,
            AuditService audit,
            ObjectMapper json) {
        this.states = states;
        this.projects = projects;
        this.settings = settings;
        this.audit = audit;
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
        if (!name.isTextual()) {
            throw new InvalidInputException("body must be {\"name\": \"<project name>\"}");
        }
        exchange.sendJson(201, json, createProject(principal, name.asText()));
    }

    /** The REST API's and the UI's one way to create a project: global admin, audited. */
    ProjectView createProject(Principal principal, String name) {
        return ProjectView.of(projects.create(principal, name));
    }

    void listStates(Exchange exchange, Principal principal, PathParams path) throws IOException {
        var views = states.states(path.project()).stream()
                .map(st -> StateView.of(st, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(views));
    }

    void getSettings(Exchange exchange, Principal principal, PathParams path) throws IOException {
        exchange.sendJson(200, json, settings(principal, path.project()));
    }

    /** PUT and PATCH alike: the body's keys replace those settings, the others stay. */
    void patchSettings(Exchange exchange, Principal principal, PathParams path) throws IOException {
        byte[] body = exchange.readSmallBody(ApiInput.MAX_JSON_BYTES, "settings");
        exchange.sendJson(
                200, json, patchSettings(principal, path.project(), new String(body, StandardCharsets.UTF_8)));
    }

    /** A project's settings, for its readers. */
    ProjectSettings settings(Principal principal, String project) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.READ);
        requireProject(project);
        return settings.project(project);
    }

    /** The REST API's and the UI's one way to change a project's settings: admin, validated, audited. */
    ProjectSettings patchSettings(Principal principal, String project, String patchJson) {
        Names.require("project", project);
        Authenticator.require(principal, project, Permission.ADMIN);
        requireProject(project);
        ProjectSettings saved = settings.patchProject(project, patchJson);
        audit.record(principal.name(), "project.settings", project, null, Map.of("settings", saved));
        return saved;
    }

    /** Audit events: a project admin sees their project's, a global admin everything. */
    void listAudit(Exchange exchange, Principal principal, PathParams path) throws IOException {
        requireAuditReader(principal, exchange.query("project"));
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
        var items = audit(principal, query).stream()
                .map(e -> HistoryViews.AuditView.of(e, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(items));
    }

    /** The REST API's and the UI's one way to read the audit log: a project's for its admins, all for a global admin. */
    List<AuditEvent> audit(Principal principal, AuditQuery query) {
        requireAuditReader(principal, query.project());
        return audit.list(query);
    }

    private static void requireAuditReader(Principal principal, String project) {
        if (project == null) {
            if (!principal.isGlobalAdmin()) {
                throw new AccessDeniedException(
                        "the audit log of all projects needs a global admin token; add ?project=");
            }
        } else {
            Authenticator.require(principal, Names.require("project", project), Permission.ADMIN);
        }
    }

    private void requireProject(String project) {
        if (projects.find(project).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
    }
}
