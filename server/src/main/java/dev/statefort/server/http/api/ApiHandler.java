package dev.statefort.server.http.api;

import static dev.statefort.core.model.Permission.ADMIN;
import static dev.statefort.core.model.Permission.READ;
import static dev.statefort.core.model.Permission.WRITE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.RequestTarget;
import dev.statefort.server.http.Access;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.JsonBodies;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.Surface;
import dev.statefort.server.http.UnsupportedMediaTypeException;
import java.io.IOException;

/**
 * The REST API under {@code /api/v1}: JSON in and out, errors as {@code {"error":{status,message}}}.
 * Its route table is below, one line a route; docs/api.md describes each.
 */
public final class ApiHandler implements Surface<ApiHandler.Endpoint> {
    static final String PREFIX = "/api/v1/";

    /** What answers one REST route; {@code principal} is null on a route open to {@link Access#anyone()}. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange, Principal principal, PathParams path) throws IOException;
    }

    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final RouteTable<Endpoint> routes;

    public ApiHandler(
            ProjectApi projects,
            StateApi states,
            AccessApi access,
            CredentialsApi credentials,
            IdentityApi identity,
            LockPolicyApi lockPolicies,
            StorageApi storage,
            EventApi events,
            FleetApi fleet,
            SurgeryApi surgery,
            Authenticator authenticator,
            ObjectMapper json) {
        this.authenticator = authenticator;
        this.json = json;
        String p = "/api/v1/projects/{project}";
        String s = p + "/states/{state}";
        OpenApiDocument openApi = new OpenApiDocument();
        this.routes = RouteTable.<Endpoint>builder()
                // this API's description (docs/api.md links it)
                .add(
                        "GET",
                        "/api/v1/openapi.json",
                        Access.anyone(),
                        (exchange, principal, path) -> openApi.send(exchange))
                // login sessions: logging in needs no credentials yet
                .add("GET", "/api/v1/session", Access.anyone(), access::currentSession)
                .add("POST", "/api/v1/session", Access.anyone(), access::login)
                .add("DELETE", "/api/v1/session", Access.anyone(), access::logout)
                // users and members
                .add("GET", "/api/v1/users", Access.globalAdmin("managing users"), access::listUsers)
                .add("POST", "/api/v1/users", Access.globalAdmin("managing users"), access::createUser)
                .add("GET", "/api/v1/users/{user}", Access.globalAdmin("managing users"), access::getUser)
                .add("DELETE", "/api/v1/users/{user}", Access.globalAdmin("managing users"), access::deleteUser)
                .add("PUT", "/api/v1/users/{user}/password", Access.signedIn(), access::setPassword)
                .add("GET", p + "/members", Access.project(ADMIN), access::listMembers)
                .add("PUT", p + "/members/{user}", Access.project(ADMIN), access::putMember)
                .add("DELETE", p + "/members/{user}", Access.project(ADMIN), access::removeMember)
                // tokens and aliases
                .add("GET", "/api/v1/tokens", Access.signedIn(), credentials::listTokens)
                .add("POST", "/api/v1/tokens", Access.signedIn(), credentials::createToken)
                .add("DELETE", "/api/v1/tokens/{id}", Access.signedIn(), credentials::revokeToken)
                .add("GET", p + "/aliases", Access.project(ADMIN), credentials::listAliases)
                .add("POST", p + "/aliases", Access.project(ADMIN), credentials::createAlias)
                .add("DELETE", p + "/aliases/{id}", Access.project(ADMIN), credentials::revokeAlias)
                .add("POST", p + "/aliases/{id}/rotate", Access.project(ADMIN), credentials::rotateAlias)
                // CI identity: the operator's OIDC issuers, a project's trust policies
                .add("GET", "/api/v1/oidc/issuers", Access.globalAdmin("listing OIDC issuers"), identity::listIssuers)
                .add("GET", p + "/trust-policies", Access.project(ADMIN), identity::listPolicies)
                .add("POST", p + "/trust-policies", Access.project(ADMIN), identity::createPolicy)
                .add("GET", p + "/trust-policies/{id}", Access.project(ADMIN), identity::getPolicy)
                .add("DELETE", p + "/trust-policies/{id}", Access.project(ADMIN), identity::deletePolicy)
                // what keeps changes away: protection rules, change freezes
                .add("GET", p + "/protection-rules", Access.project(ADMIN), lockPolicies::listRules)
                .add("POST", p + "/protection-rules", Access.project(ADMIN), lockPolicies::createRule)
                .add("DELETE", p + "/protection-rules/{id}", Access.project(ADMIN), lockPolicies::deleteRule)
                .add("GET", p + "/freezes", Access.project(READ), lockPolicies::listFreezes)
                .add("POST", p + "/freeze", Access.project(ADMIN), lockPolicies::freeze)
                .add("DELETE", p + "/freeze", Access.project(ADMIN), lockPolicies::lift)
                .add("POST", s + "/freeze", Access.state(ADMIN), lockPolicies::freeze)
                .add("DELETE", s + "/freeze", Access.state(ADMIN), lockPolicies::lift)
                // what happens: webhooks, the live event stream
                .add("GET", p + "/webhooks", Access.project(ADMIN), events::list)
                .add("POST", p + "/webhooks", Access.project(ADMIN), events::create)
                .add("GET", p + "/webhooks/{id}", Access.project(ADMIN), events::get)
                .add("DELETE", p + "/webhooks/{id}", Access.project(ADMIN), events::delete)
                .add("POST", p + "/webhooks/{id}/rotate-secret", Access.project(ADMIN), events::rotateSecret)
                .add("POST", p + "/webhooks/{id}/ping", Access.project(ADMIN), events::ping)
                .add("GET", p + "/webhooks/{id}/deliveries", Access.project(ADMIN), events::deliveries)
                .add(
                        "POST",
                        p + "/webhooks/{id}/deliveries/{event}/redeliver",
                        Access.project(ADMIN),
                        events::redeliver)
                .add("GET", p + "/events", Access.project(READ), events::stream)
                // the fleet: every answer holds only the states the caller may read
                .add("GET", "/api/v1/search", Access.signedIn(), fleet::search)
                .add("GET", "/api/v1/fleet/states", Access.signedIn(), fleet::states)
                .add("GET", "/api/v1/fleet/duplicates", Access.signedIn(), fleet::duplicates)
                .add("GET", s + "/consumers", Access.state(READ), fleet::consumers)
                // projects, settings, audit
                .add("GET", "/api/v1/projects", Access.signedIn(), projects::listProjects)
                .add("POST", "/api/v1/projects", Access.globalAdmin("creating projects"), projects::createProject)
                .add("GET", p, Access.project(READ), projects::getProject)
                .add("GET", "/api/v1/storage", Access.globalAdmin("listing storage profiles"), storage::list)
                .add("POST", p + "/storage/move", Access.globalAdmin("moving a project's storage"), storage::startMove)
                .add(
                        "GET",
                        p + "/storage/move",
                        Access.globalAdmin("moving a project's storage"),
                        storage::moveProgress)
                .add("GET", p + "/settings", Access.project(READ), projects::getSettings)
                .add("PUT", p + "/settings", Access.project(ADMIN), projects::patchSettings)
                .add("PATCH", p + "/settings", Access.project(ADMIN), projects::patchSettings)
                .add("GET", "/api/v1/audit", Access.signedIn(), projects::listAudit)
                // states and their history: reads need read, every change admin
                .add("GET", p + "/states", Access.project(READ), projects::listStates)
                .add("DELETE", s, Access.state(ADMIN), states::deleteState)
                .add("GET", s + "/versions", Access.state(READ), states::listVersions)
                .add("POST", s + "/versions", Access.state(WRITE), states::upload)
                .add("GET", s + "/versions/{n}", Access.state(READ), states::version)
                .add("DELETE", s + "/versions/{n}", Access.state(ADMIN), states::deleteVersion)
                .add("GET", s + "/versions/{n}/content", Access.state(READ), states::content)
                .add("GET", s + "/versions/{n}/summary", Access.state(READ), states::summary)
                .add("POST", s + "/versions/{n}/restore", Access.state(ADMIN), states::restore)
                .add("GET", s + "/resources", Access.state(READ), states::resources)
                .add("GET", s + "/outputs", Access.state(READ), states::outputs)
                .add("GET", s + "/diff", Access.state(READ), states::diff)
                .add("GET", s + "/sessions", Access.state(READ), states::sessions)
                .add("POST", s + "/sessions/{lockId}/revert", Access.state(ADMIN), states::revertSession)
                .add("POST", s + "/surgery", Access.state(WRITE), surgery::perform)
                .add("GET", s + "/lock", Access.state(READ), states::lock)
                .add("DELETE", s + "/lock", Access.state(ADMIN), states::forceUnlock)
                .add("GET", s + "/quarantine", Access.state(READ), states::listQuarantine)
                .add("GET", s + "/quarantine/{n}", Access.state(READ), states::quarantined)
                .add("DELETE", s + "/quarantine/{n}", Access.state(ADMIN), states::discard)
                .add("GET", s + "/quarantine/{n}/content", Access.state(READ), states::quarantinedContent)
                .add("GET", s + "/quarantine/{n}/diff", Access.state(READ), states::quarantinedDiff)
                .add("POST", s + "/quarantine/{n}/promote", Access.state(ADMIN), states::promote)
                .add("POST", s + "/permit", Access.state(ADMIN), states::permit)
                .add("DELETE", s + "/permit", Access.state(ADMIN), states::revokePermit)
                .add("GET", s + "/outputs-access", Access.state(READ), states::outputsAccess)
                .add("PUT", s + "/outputs-access", Access.state(ADMIN), states::setOutputsAccess)
                .build();
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PREFIX);
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange exchange, RouteTable.Match<Endpoint> match) throws IOException {
        if (exchange.isChange() && exchange.hasBody() && !JsonBodies.isJson(exchange.mediaType())) {
            // a body no cross-site HTML form can send; after BrowserRequestGuard, before authentication
            throw new UnsupportedMediaTypeException(exchange.mediaType());
        }
        Access access = match.route().access();
        Principal principal = null;
        if (access.needsCredentials()) {
            principal = authenticator.authenticate(exchange, targetOf(match.path()));
            if (principal.isOutputsOnly()) {
                throw new AccessDeniedException("an 'outputs' credential reads a state's outputs through its"
                        + " backend address (terraform_remote_state) and nothing under /api/v1");
            }
            access.check(principal, match.path(), null);
        }
        match.route().endpoint().handle(exchange, principal, match.path());
    }

    /** What the path names: the project (and state) an OIDC ID token may act on, and nothing else. */
    private static RequestTarget targetOf(PathParams path) {
        if (!path.has("project")) {
            return RequestTarget.none();
        }
        return path.has("state")
                ? RequestTarget.state(path.state(), RequestTarget.LockUse.NONE, null)
                : RequestTarget.project(path.project());
    }

    /** Errors as JSON: {@code {"status": ..., "message": ...}}. */
    @Override
    public void sendError(Exchange exchange, int status, String message) throws IOException {
        exchange.sendJson(status, json, ApiViews.ErrorView.of(exchange, status, message));
    }
}
