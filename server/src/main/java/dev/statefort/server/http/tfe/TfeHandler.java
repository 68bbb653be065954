package dev.statefort.server.http.tfe;

import static dev.statefort.core.model.Permission.ADMIN;
import static dev.statefort.core.model.Permission.OUTPUTS;
import static dev.statefort.core.model.Permission.READ;
import static dev.statefort.core.model.Permission.WRITE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.RequestTarget;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.usecases.ProjectUseCases;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Access;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.Surface;
import dev.statefort.server.http.UnsupportedMediaTypeException;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;

/**
 * The state part of the TFE API v2 (what HCP Terraform and Terraform Enterprise serve), so that a
 * {@code cloud} block or a {@code backend "remote"} with local execution uses Statefort unchanged:
 * organizations are projects, workspaces are states, over the same locks, versions, tokens and
 * audit as {@code /tf/}. Service discovery at {@code /.well-known/terraform.json} points here.
 * Errors are JSON:API error documents. docs/tfe-api.md describes each route.
 */
public final class TfeHandler implements Surface<TfeHandler.Endpoint> {
    static final String PREFIX = "/api/v2/";
    static final String DISCOVERY = "/.well-known/terraform.json";

    /** What answers one route: {@code key} is the state the path names (by name or by ID), or null. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange, Principal principal, PathParams path, StateKey key) throws IOException;
    }

    private final Authenticator authenticator;
    private final TfeDocuments documents;
    private final RouteTable<Endpoint> routes;

    public TfeHandler(
            StateUseCases state,
            ProjectUseCases project,
            Authenticator authenticator,
            ObjectMapper json,
            NodeMetrics metrics) {
        this.authenticator = authenticator;
        this.documents = new TfeDocuments(json);
        TfeWorkspaceApi workspaces = new TfeWorkspaceApi(state, project.projects(), documents, metrics);
        TfeStateApi stateVersions = new TfeStateApi(state, project.settings(), documents, metrics);
        String org = "/api/v2/organizations/{project}";
        String ws = "/api/v2/workspaces/{workspace}";
        this.routes = RouteTable.<Endpoint>builder()
                // how a client finds the API, and what it asks before anything else
                .add("GET", DISCOVERY, Access.anyone(), (e, p, path, key) -> TfeWorkspaceApi.discovery(e))
                .add("GET", "/api/v2/ping", Access.anyone(), (e, p, path, key) -> TfeWorkspaceApi.ping(e))
                .add("GET", org + "/entitlement-set", Access.signedIn(), workspaces::entitlements)
                .add("GET", org + "/projects", Access.signedIn(), workspaces::projects)
                // workspaces are states: by name in an organization (a project), or by ID
                .add("GET", org + "/workspaces", Access.project(OUTPUTS), workspaces::list)
                .add("POST", org + "/workspaces", Access.project(WRITE), workspaces::create)
                .add("GET", org + "/workspaces/{state}", Access.state(OUTPUTS), workspaces::read)
                .add("DELETE", org + "/workspaces/{state}", Access.state(ADMIN), workspaces::delete)
                .add("GET", ws, Access.state(OUTPUTS), workspaces::read)
                .add("PATCH", ws, Access.state(WRITE), workspaces::update)
                .add("GET", ws + "/relationships/tags", Access.state(OUTPUTS), workspaces::tags)
                .add("POST", ws + "/relationships/tags", Access.state(WRITE), workspaces::addTags)
                .add("DELETE", ws + "/relationships/tags", Access.state(WRITE), workspaces::removeTags)
                // the state's lock, the same one /tf/ takes
                .add("POST", ws + "/actions/lock", Access.state(WRITE), workspaces::lock)
                .add("POST", ws + "/actions/unlock", Access.state(WRITE), workspaces::unlock)
                .add("POST", ws + "/actions/force-unlock", Access.state(WRITE), workspaces::forceUnlock)
                // state versions: outputs credentials read outputs only (the download too)
                .add("GET", ws + "/current-state-version", Access.state(OUTPUTS), stateVersions::current)
                .add("GET", ws + "/current-state-version-outputs", Access.state(OUTPUTS), stateVersions::currentOutputs)
                .add("GET", ws + "/state-versions", Access.state(READ), stateVersions::list)
                .add("POST", ws + "/state-versions", Access.state(WRITE), stateVersions::create)
                .add("GET", "/api/v2/state-versions/{version}", Access.state(OUTPUTS), stateVersions::read)
                .add("GET", "/api/v2/state-versions/{version}/download", Access.state(OUTPUTS), stateVersions::download)
                .add("GET", "/api/v2/state-version-outputs/{output}", Access.state(OUTPUTS), stateVersions::output)
                // an upload URL carries its own one-time authorization: no credentials
                .add("PUT", "/api/v2/uploads/{secret}", Access.anyone(), stateVersions::upload)
                .build();
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PREFIX) || path.equals(DISCOVERY);
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange exchange, RouteTable.Match<Endpoint> match) throws IOException {
        PathParams path = match.path();
        boolean upload = path.has("secret");
        if (exchange.isChange() && exchange.hasBody() && !upload && !JsonBodies.isJson(exchange.mediaType())) {
            // a body no cross-site HTML form can send, before authentication
            throw new UnsupportedMediaTypeException(exchange.mediaType());
        }
        StateKey key = stateOf(path);
        Access access = match.route().access();
        Principal principal = null;
        if (access.needsCredentials()) {
            principal = authenticator.authenticate(
                    exchange, targetOf(exchange, match.route().template(), path, key));
            access.check(principal, path, key);
        }
        match.route().endpoint().handle(exchange, principal, path, key);
    }

    /** The state the path names: by name, or inside a workspace, version or output ID (404 for an ID that names none). */
    private static StateKey stateOf(PathParams path) {
        if (path.has("workspace")) {
            return TfeIds.workspace(path.get("workspace"));
        }
        if (path.has("version")) {
            return TfeIds.version(path.get("version")).key();
        }
        if (path.has("output")) {
            return TfeIds.output(path.get("output")).key();
        }
        return path.has("state") ? path.state() : null;
    }

    /**
     * What the path names for an OIDC ID token: its project and state, and whether the request is one
     * an apply makes under the workspace lock it took (an expired token still finishes the apply under
     * it, as on {@code /tf/}: the state's reads, the state version and its read-back, the unlock).
     */
    private static RequestTarget targetOf(Exchange exchange, String template, PathParams path, StateKey key) {
        if (key == null) {
            return path.has("project") ? RequestTarget.project(path.project()) : RequestTarget.none();
        }
        boolean underLock = template.endsWith("/current-state-version")
                || template.endsWith("/download")
                || template.equals("/api/v2/state-versions/{version}")
                || (exchange.method().equals("POST")
                        && (template.endsWith("/state-versions") || template.endsWith("/actions/unlock")));
        return RequestTarget.state(key, underLock ? RequestTarget.LockUse.WORKSPACE : RequestTarget.LockUse.NONE, null);
    }

    /** Errors as JSON:API error documents, which go-tfe shows by their title. */
    @Override
    public void sendError(Exchange exchange, int status, String message) throws IOException {
        documents.send(exchange, status, documents.errors(status, message));
    }
}
