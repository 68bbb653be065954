package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Permission;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.version.PageRequest;
import dev.statefort.server.http.ApiViews.Items;
import dev.statefort.server.http.ApiViews.PageView;
import dev.statefort.server.http.ApiViews.ProjectView;
import dev.statefort.server.http.ApiViews.StateView;
import dev.statefort.server.http.ApiViews.VersionView;
import java.io.IOException;

/** The REST API under {@code /api/v1}; JSON in and out, errors as {@code {"error":{status,message}}}. */
final class ApiHandler {
    static final String PREFIX = "/api/v1/";
    private static final int MAX_JSON_BYTES = 64 * 1024;
    private static final int DEFAULT_PAGE = 50;

    private final StateService states;
    private final ProjectService projects;
    private final Authenticator authenticator;
    private final ObjectMapper json;

    ApiHandler(StateService states, ProjectService projects, Authenticator authenticator, ObjectMapper json) {
        this.states = states;
        this.projects = projects;
        this.authenticator = authenticator;
        this.json = json;
    }

    void handle(Exchange exchange) throws IOException {
        String rest = exchange.path().substring(PREFIX.length());
        String[] s = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        Principal principal = authenticator.authenticate(exchange);
        String method = exchange.method();

        if (s.length == 1 && s[0].equals("projects")) {
            switch (method) {
                case "GET" -> listProjects(exchange, principal);
                case "POST" -> createProject(exchange, principal);
                default -> throw new MethodNotAllowedException(method, "GET, POST");
            }
        } else if (s.length == 3 && s[0].equals("projects") && s[2].equals("states")) {
            requireGet(method);
            listStates(exchange, principal, s[1]);
        } else if (s.length == 5 && s[0].equals("projects") && s[2].equals("states") && s[4].equals("versions")) {
            requireGet(method);
            listVersions(exchange, principal, new StateKey(s[1], s[3]));
        } else if (s.length == 6 && s[0].equals("projects") && s[2].equals("states") && s[4].equals("versions")) {
            requireGet(method);
            showVersion(exchange, principal, new StateKey(s[1], s[3]), versionNumber(s[5]));
        } else if (s.length == 7
                && s[0].equals("projects")
                && s[2].equals("states")
                && s[4].equals("versions")
                && s[6].equals("content")) {
            requireGet(method);
            versionContent(exchange, principal, new StateKey(s[1], s[3]), versionNumber(s[5]));
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
        if (!principal.isGlobalAdmin()) {
            throw new AccessDeniedException("creating projects needs a global admin token");
        }
        JsonNode body = readJson(exchange);
        JsonNode name = body.path("name");
        if (!name.isTextual()) {
            throw new InvalidInputException("body must be {\"name\": \"<project name>\"}");
        }
        if (!projects.create(name.asText())) {
            throw new ConflictException("project '" + name.asText() + "' already exists");
        }
        var created = projects.list().stream()
                .filter(p -> p.name().equals(name.asText()))
                .findFirst()
                .map(ProjectView::of)
                .orElseThrow();
        exchange.sendJson(201, json, created);
    }

    private void listStates(Exchange exchange, Principal principal, String project) throws IOException {
        Authenticator.require(principal, project, Permission.READ);
        var views = states.states(project).stream()
                .map(st -> StateView.of(st, json))
                .toList();
        exchange.sendJson(200, json, new Items<>(views));
    }

    private void listVersions(Exchange exchange, Principal principal, StateKey key) throws IOException {
        Authenticator.require(principal, key.project(), Permission.READ);
        int limit = intParam(exchange, "limit", DEFAULT_PAGE, 1, PageRequest.MAX_LIMIT);
        String before = exchange.query("before");
        Long beforeNumber = before == null ? null : versionNumber(before);
        exchange.sendJson(200, json, PageView.of(states.versions(key, new PageRequest(limit, beforeNumber))));
    }

    private void showVersion(Exchange exchange, Principal principal, StateKey key, long number) throws IOException {
        Authenticator.require(principal, key.project(), Permission.READ);
        StoredState version = states.readVersion(key, number);
        version.content().close();
        exchange.sendJson(200, json, VersionView.of(version.version()));
    }

    private void versionContent(Exchange exchange, Principal principal, StateKey key, long number) throws IOException {
        Authenticator.require(principal, key.project(), Permission.READ);
        StoredState version = states.readVersion(key, number);
        exchange.stream(200, Exchange.JSON, version.version().size(), version.content());
    }

    private JsonNode readJson(Exchange exchange) throws IOException {
        byte[] body = exchange.readSmallBody(MAX_JSON_BYTES, "request body");
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

    private static void requireGet(String method) {
        if (!method.equals("GET")) {
            throw new MethodNotAllowedException(method, "GET");
        }
    }

    private static long versionNumber(String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("version number must be a positive integer, not '" + text + "'");
    }

    private static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
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
