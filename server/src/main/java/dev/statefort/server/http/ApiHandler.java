package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
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
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.server.http.ApiViews.Items;
import dev.statefort.server.http.ApiViews.ProjectView;
import dev.statefort.server.http.ApiViews.StateView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The REST API under {@code /api/v1}; JSON in and out, errors as {@code {"error":{status,message}}}. */
final class ApiHandler {
    static final String PREFIX = "/api/v1/";
    private static final int MAX_JSON_BYTES = 64 * 1024;

    private final StateService states;
    private final ProjectService projects;
    private final SettingsService settings;
    private final AuditService audit;
    private final StateApi stateApi;
    private final AccessApi accessApi;
    private final CredentialsApi credentialsApi;
    private final Authenticator authenticator;
    private final ObjectMapper json;

    ApiHandler(
            StateService states,
            ProjectService projects,
            SettingsService settings,
            AuditService audit,
            StateApi stateApi,
            AccessApi accessApi,
            CredentialsApi credentialsApi,
            Authenticator authenticator,
            ObjectMapper json) {
        this.states = states;
        this.projects = projects;
        this.settings = settings;
        this.audit = audit;
        this.stateApi = stateApi;
        this.accessApi = accessApi;
        this.credentialsApi = credentialsApi;
        this.authenticator = authenticator;
        this.json = json;
    }

    void handle(Exchange exchange) throws IOException {
        String rest = exchange.path().substring(PREFIX.length());
        String[] s = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        if (s.length == 1 && s[0].equals("session")) {
            accessApi.session(exchange); // logging in needs no credentials yet
            return;
        }
        Principal principal = authenticator.authenticate(exchange);
        if (principal.isOutputsOnly()) {
            throw new AccessDeniedException("an 'outputs' credential reads a state's outputs through its backend"
                    + " address (terraform_remote_state) and nothing under /api/v1");
        }
        String method = exchange.method();

        if (s.length == 1 && s[0].equals("projects")) {
            switch (method) {
                case "GET" -> listProjects(exchange, principal);
                case "POST" -> createProject(exchange, principal);
                default -> throw new MethodNotAllowedException(method, "GET, POST");
            }
        } else if (s.length == 1 && s[0].equals("audit")) {
            requireMethod(method, "GET");
            listAudit(exchange, principal);
        } else if (s.length >= 1 && s.length <= 3 && s[0].equals("users")) {
            accessApi.users(exchange, principal, s);
        } else if (s.length <= 2 && s[0].equals("tokens")) {
            credentialsApi.tokens(exchange, principal, s.length == 2 ? s[1] : null);
        } else if ((s.length == 3 || s.length == 4) && s[0].equals("projects") && s[2].equals("members")) {
            accessApi.members(exchange, principal, s[1], s.length == 4 ? s[3] : null);
        } else if (s.length >= 3 && s[0].equals("projects") && s[2].equals("aliases")) {
            credentialsApi.aliases(exchange, principal, s[1], Arrays.copyOfRange(s, 3, s.length));
        } else if (s.length == 3 && s[0].equals("projects") && s[2].equals("states")) {
            requireMethod(method, "GET");
            listStates(exchange, principal, s[1]);
        } else if (s.length == 3 && s[0].equals("projects") && s[2].equals("settings")) {
            projectSettings(exchange, principal, s[1]);
        } else if (s.length >= 4 && s[0].equals("projects") && s[2].equals("states")) {
            stateApi.handle(exchange, principal, new StateKey(s[1], s[3]), Arrays.copyOfRange(s, 4, s.length));
        } else {
            throw new NotFoundException("no API endpoint at " + exchange.path());
        }
    }

    private void listProjects(Exchange exchange, Principal principal) throws IOException {
        var visible = projects.list().stream()
                .filter(p -> principal.canSee(p.name()))
                .map(ProjectView::of)
                .toList();
        exchange.sendJson(200, json, new Items<>(visible));
    }

    private void createProject(Exchange exchange, Principal principal) throws IOException {
        requireProjectCreator(principal);
        JsonNode body = readJson(exchange, json);
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

    private static void requireProjectCreator(Principal principal) {
        if (!principal.isGlobalAdmin()) {
            throw new AccessDeniedException("creating projects needs a global admin token");
        }
    }

    private void listStates(Exchange exchange, Principal principal, String project) throws IOException {
        Authenticator.require(principal, project, Permission.READ);
        var views = states.states(project).stream()
                .map(st -> StateView.of(st, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(views));
    }

    private void projectSettings(Exchange exchange, Principal principal, String project) throws IOException {
        switch (exchange.method()) {
            case "GET" -> exchange.sendJson(200, json, settings(principal, project));
            case "PUT", "PATCH" -> {
                Names.require("project", project);
                Authenticator.require(principal, project, Permission.ADMIN);
                byte[] body = exchange.readSmallBody(MAX_JSON_BYTES, "settings");
                exchange.sendJson(
                        200, json, patchSettings(principal, project, new String(body, StandardCharsets.UTF_8)));
            }
            default -> throw new MethodNotAllowedException(exchange.method(), "GET, PUT, PATCH");
        }
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
    private void listAudit(Exchange exchange, Principal principal) throws IOException {
        requireAuditReader(principal, exchange.query("project"));
        int limit = intParam(exchange, "limit", 100, 1, 1000);
        AuditQuery query = new AuditQuery(
                exchange.query("project"),
                exchange.query("state"),
                exchange.query("principal"),
                exchange.query("action"),
                instantParam(exchange, "from"),
                instantParam(exchange, "to"),
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

    static JsonNode readJson(Exchange exchange, ObjectMapper json) throws IOException {
        byte[] body = exchange.readSmallBody(MAX_JSON_BYTES, "request body");
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException("request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("request body is not valid JSON");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowedException(method, allowed);
        }
    }

    private static java.time.Instant instantParam(Exchange exchange, String name) {
        String v = exchange.query(name);
        if (v == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an ISO-8601 UTC time such as 2026-12-01T10:00:00Z");
        }
    }

    static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
        String v = exchange.query(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(name + " must be an integer " + min + ".." + max);
    }
}
