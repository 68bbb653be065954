package dev.statefort.server.http;

import dev.statefort.core.model.StateKey;
import java.util.List;

/** The authorization matrix's one table: every endpoint, a concrete request for it, and what it needs. */
final class MatrixEndpoints {
    private MatrixEndpoints() {}

    /** What a request needs; see {@link MatrixExpectations}. */
    enum Needs {
        NOTHING,
        /** Logging in: credentials are in the body. */
        LOGIN,
        /** A session cookie (GET /api/v1/session). */
        SESSION,
        ANY,
        /** Any permission in project {@code default}, a one-state credential's included (the TFE API's entitlements). */
        ANY_IN_PROJECT,
        OUTPUTS,
        READ,
        WRITE,
        ADMIN,
        GLOBAL_ADMIN,
        /** The user themselves (path user {@code viewer}) or a global admin. */
        SELF_OR_GLOBAL_ADMIN,
        /** A user (their own tokens) or a global admin. */
        USER_OR_GLOBAL_ADMIN,
        /** Creating a token: a user needs the token's permission, anyone else admin (a project token). */
        TOKEN_CREATE,
        /** The alias's own credentials, write permission. */
        ALIAS_WRITE,
        /** An alias address, but admin work: no alias may. */
        ALIAS_ADMIN,
        /** A web UI page for any logged-in user: no session is a 303 to the login page, not a 401. */
        UI_SESSION,
        /** A web UI page of project {@code default} or one of its states: a session with read. */
        UI_READ,
        /** A web UI action on a state (force-unlock): a session with admin. */
        UI_ADMIN,
        /** A web UI action that writes to project {@code default} (the Connect panel's token): a session with write. */
        UI_WRITE,
        /** A web UI page of all projects (the whole audit log, a new project): a global admin's session. */
        UI_GLOBAL_ADMIN;

        boolean ui() {
            return this == UI_SESSION
                    || this == UI_READ
                    || this == UI_ADMIN
                    || this == UI_WRITE
                    || this == UI_GLOBAL_ADMIN;
        }
    }

    /**
     * @param route the route ({@code METHOD /template}) this row covers
     * @param state the state the request acts on, or null for project-wide or global requests
     * @param deniedStatus what a caller without enough rights gets (403, or 404 where existence is hidden)
     */
    record Row(String route, String method, String path, String body, Needs needs, StateKey state, int deniedStatus) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final String STATE = AuthorizationMatrixTest.STATE;
    private static final String LOCK = "{\"ID\":\"matrix-lock\",\"Operation\":\"OperationTypeApply\"}";
    private static final String PLAN_LOCK = "{\"ID\":\"matrix-plan\",\"Operation\":\"OperationTypePlan\"}";
    private static final String PW = AuthorizationMatrixTest.PASSWORD;
    private static final String S = "/api/v1/projects/default/states/existing";
    private static final String STATES = "/api/v1/projects/{project}/states/{state}";
    private static final String UI_STATES = "/ui/projects/{project}/states/{state}";
    private static final String UI_S = "/ui/projects/default/states/existing";

    private static final String TFE_WS = "GET /api/v2/workspaces/{workspace}";
    private static final String WS = "/api/v2/workspaces/" + tfeId("ws-", "existing");
    private static final String TFE_LOCKED = "/api/v2/workspaces/" + tfeId("ws-", "tfe-locked");
    private static final String TAGS = "{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\"matrix\"}}]}";
    private static final String TFE_LOCK = "{\"data\":{\"type\":\"\",\"attributes\":{\"reason\":\"matrix\"}}}";
    private static final String TFE_VERSION = "{\"data\":{\"type\":\"state-versions\",\"attributes\":"
            + "{\"serial\":2,\"lineage\":\"l\",\"md5\":\"00000000000000000000000000000000\"}}}";

    /** A TFE API ID of a thing of project {@code default}: the prefix and the base64url of its path. */
    static String tfeId(String prefix, String rest) {
        return prefix
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("default/" + rest).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static final List<Row> ROWS = List.of(
            // backend
            row("GET /tf/{project}/{state}", "/tf/default/existing", null, Needs.OUTPUTS),
            row("POST /tf/{project}/{state}", "/tf/default/written", STATE, Needs.WRITE),
            row("PUT /tf/{project}/{state}", "/tf/default/written", STATE, Needs.WRITE),
            row("LOCK /tf/{project}/{state}", "/tf/default/locked", LOCK, Needs.WRITE),
            // a plan's LOCK takes a shared plan lock: read is enough
            row("LOCK /tf/{project}/{state}", "/tf/default/planned", PLAN_LOCK, Needs.READ),
            // force-unlock (no body) needs write; a plan lock's UNLOCK read
            row("UNLOCK /tf/{project}/{state}", "/tf/default/locked", null, Needs.WRITE),
            row("UNLOCK /tf/{project}/{state}", "/tf/default/planned", PLAN_LOCK, Needs.READ),
            row("LOCK /tf/{project}/{state}/lock", "/tf/default/locked/lock", LOCK, Needs.WRITE),
            row("LOCK /tf/{project}/{state}/lock", "/tf/default/planned/lock", PLAN_LOCK, Needs.READ),
            row("UNLOCK /tf/{project}/{state}/lock", "/tf/default/locked/lock", null, Needs.WRITE),
            row("UNLOCK /tf/{project}/{state}/lock", "/tf/default/planned/lock", PLAN_LOCK, Needs.READ),
            row("POST /tf/{project}/{state}/lock", "/tf/default/locked/lock", LOCK, Needs.WRITE),
            row("POST /tf/{project}/{state}/lock", "/tf/default/planned/lock", PLAN_LOCK, Needs.READ),
            row("DELETE /tf/{project}/{state}/lock", "/tf/default/locked/lock", null, Needs.WRITE),
            row("DELETE /tf/{project}/{state}/lock", "/tf/default/planned/lock", PLAN_LOCK, Needs.READ),
            row("DELETE /tf/{project}/{state}", "/tf/default/planned", PLAN_LOCK, Needs.READ),
            row("DELETE /tf/{project}/{state}", "/tf/default/deleted", null, Needs.ADMIN),
            // alias addresses
            row("GET /tf/alias/{id}", "/tf/alias/{alias}", null, Needs.ALIAS_WRITE),
            row("POST /tf/alias/{id}", "/tf/alias/{alias}", STATE, Needs.ALIAS_WRITE),
            row("PUT /tf/alias/{id}", "/tf/alias/{alias}", STATE, Needs.ALIAS_WRITE),
            row("LOCK /tf/alias/{id}", "/tf/alias/{alias}", LOCK, Needs.ALIAS_WRITE),
            row("UNLOCK /tf/alias/{id}", "/tf/alias/{alias}", LOCK, Needs.ALIAS_WRITE),
            row("LOCK /tf/alias/{id}/lock", "/tf/alias/{alias}/lock", LOCK, Needs.ALIAS_WRITE),
            row("UNLOCK /tf/alias/{id}/lock", "/tf/alias/{alias}/lock", LOCK, Needs.ALIAS_WRITE),
            row("POST /tf/alias/{id}/lock", "/tf/alias/{alias}/lock", LOCK, Needs.ALIAS_WRITE),
            row("DELETE /tf/alias/{id}/lock", "/tf/alias/{alias}/lock", LOCK, Needs.ALIAS_WRITE),
            row("DELETE /tf/alias/{id}", "/tf/alias/{alias}", LOCK, Needs.ALIAS_WRITE),
            row("DELETE /tf/alias/{id}", "/tf/alias/{alias}", null, Needs.ALIAS_ADMIN),
            // health, sessions
            row("GET /healthz", "/healthz", null, Needs.NOTHING),
            row("GET /api/v1/openapi.json", "/api/v1/openapi.json", null, Needs.NOTHING),
            row("GET /readyz", "/readyz", null, Needs.NOTHING),
            row(
                    "POST /api/v1/session",
                    "/api/v1/session",
                    "{\"username\":\"login\",\"password\":\"" + PW + "\"}",
                    Needs.LOGIN),
            row("GET /api/v1/session", "/api/v1/session", null, Needs.SESSION),
            row("DELETE /api/v1/session", "/api/v1/session", null, Needs.ANY),
            // users and members
            row("GET /api/v1/users", "/api/v1/users", null, Needs.GLOBAL_ADMIN),
            row("POST /api/v1/users", "/api/v1/users", "{\"name\":\"{newProject}\"}", Needs.GLOBAL_ADMIN),
            row("GET /api/v1/users/{user}", "/api/v1/users/viewer", null, Needs.GLOBAL_ADMIN),
            row("DELETE /api/v1/users/{user}", "/api/v1/users/{newUser}", null, Needs.GLOBAL_ADMIN),
            row(
                    "PUT /api/v1/users/{user}/password",
                    "/api/v1/users/viewer/password",
                    "{\"password\":\"" + PW + "\",\"currentPassword\":\"" + PW + "\"}",
                    Needs.SELF_OR_GLOBAL_ADMIN),
            row("GET /api/v1/projects/{project}/members", "/api/v1/projects/default/members", null, Needs.ADMIN),
            row(
                    "PUT /api/v1/projects/{project}/members/{user}",
                    "/api/v1/projects/default/members/viewer",
                    "{\"role\":\"viewer\"}",
                    Needs.ADMIN),
            row(
                    "DELETE /api/v1/projects/{project}/members/{user}",
                    "/api/v1/projects/default/members/{newMember}",
                    null,
                    Needs.ADMIN),
            // tokens and aliases
            row("GET /api/v1/tokens", "/api/v1/tokens", null, Needs.USER_OR_GLOBAL_ADMIN),
            row("GET /api/v1/tokens", "/api/v1/tokens?project=default", null, Needs.ADMIN),
            row(
                    "POST /api/v1/tokens",
                    "/api/v1/tokens",
                    "{\"project\":\"default\",\"permission\":\"outputs\"}",
                    Needs.TOKEN_CREATE),
            new Row("DELETE /api/v1/tokens/{id}", "DELETE", "/api/v1/tokens/{newToken}", null, Needs.ADMIN, null, 404),
            row("GET /api/v1/projects/{project}/aliases", "/api/v1/projects/default/aliases", null, Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/aliases",
                    "/api/v1/projects/default/aliases",
                    "{\"state\":\"aliased\",\"permission\":\"read\"}",
                    Needs.ADMIN),
            row(
                    "DELETE /api/v1/projects/{project}/aliases/{id}",
                    "/api/v1/projects/default/aliases/{newAlias}",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/aliases/{id}/rotate",
                    "/api/v1/projects/default/aliases/{newAlias}/rotate",
                    null,
                    Needs.ADMIN),
            // CI identity: the operator's OIDC issuers, a project's trust policies
            row("GET /api/v1/oidc/issuers", "/api/v1/oidc/issuers", null, Needs.GLOBAL_ADMIN),
            row(
                    "GET /api/v1/projects/{project}/trust-policies",
                    "/api/v1/projects/default/trust-policies",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/trust-policies",
                    "/api/v1/projects/default/trust-policies",
                    "{\"name\":\"{newPolicy}\",\"issuer\":\"ci\",\"claims\":{\"repository\":\"acme/infra\"},"
                            + "\"permission\":\"read\"}",
                    Needs.ADMIN),
            row(
                    "GET /api/v1/projects/{project}/trust-policies/{id}",
                    "/api/v1/projects/default/trust-policies/no-such-policy",
                    null,
                    Needs.ADMIN),
            row(
                    "DELETE /api/v1/projects/{project}/trust-policies/{id}",
                    "/api/v1/projects/default/trust-policies/no-such-policy",
                    null,
                    Needs.ADMIN),
            // protection rules and change freezes
            row(
                    "GET /api/v1/projects/{project}/protection-rules",
                    "/api/v1/projects/default/protection-rules",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/protection-rules",
                    "/api/v1/projects/default/protection-rules",
                    "{\"states\":\"matrix-*\",\"allowTokens\":[\"matrix-token\"]}",
                    Needs.ADMIN),
            row(
                    "DELETE /api/v1/projects/{project}/protection-rules/{id}",
                    "/api/v1/projects/default/protection-rules/no-such-rule",
                    null,
                    Needs.ADMIN),
            row("GET /api/v1/projects/{project}/freezes", "/api/v1/projects/default/freezes", null, Needs.READ),
            row(
                    "POST /api/v1/projects/{project}/freeze",
                    "/api/v1/projects/default/freeze",
                    "{\"reason\":\"matrix\",\"until\":\"2099-01-01T00:00:00Z\"}",
                    Needs.ADMIN),
            row("DELETE /api/v1/projects/{project}/freeze", "/api/v1/projects/default/freeze", null, Needs.ADMIN),
            row(
                    "POST " + STATES + "/freeze",
                    "/api/v1/projects/default/states/frozen/freeze",
                    "{\"reason\":\"matrix\"}",
                    Needs.ADMIN),
            row("DELETE " + STATES + "/freeze", "/api/v1/projects/default/states/frozen/freeze", null, Needs.ADMIN),
            // webhooks and the event stream
            row("GET /api/v1/projects/{project}/webhooks", "/api/v1/projects/default/webhooks", null, Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/webhooks",
                    "/api/v1/projects/default/webhooks",
                    "{\"url\":\"https://localhost:1/matrix\",\"events\":[\"lock.stale\"]}",
                    Needs.ADMIN),
            row(
                    "GET /api/v1/projects/{project}/webhooks/{id}",
                    "/api/v1/projects/default/webhooks/wh_none",
                    null,
                    Needs.ADMIN),
            row(
                    "DELETE /api/v1/projects/{project}/webhooks/{id}",
                    "/api/v1/projects/default/webhooks/wh_none",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/webhooks/{id}/rotate-secret",
                    "/api/v1/projects/default/webhooks/wh_none/rotate-secret",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/webhooks/{id}/ping",
                    "/api/v1/projects/default/webhooks/wh_none/ping",
                    null,
                    Needs.ADMIN),
            row(
                    "GET /api/v1/projects/{project}/webhooks/{id}/deliveries",
                    "/api/v1/projects/default/webhooks/wh_none/deliveries",
                    null,
                    Needs.ADMIN),
            row(
                    "POST /api/v1/projects/{project}/webhooks/{id}/deliveries/{event}/redeliver",
                    "/api/v1/projects/default/webhooks/wh_none/deliveries/none/redeliver",
                    null,
                    Needs.ADMIN),
            row(
                    "GET /api/v1/projects/{project}/events",
                    "/api/v1/projects/default/events?follow=false",
                    null,
                    Needs.READ),
            // projects, settings, audit
            row("GET /api/v1/projects", "/api/v1/projects", null, Needs.ANY),
            row("POST /api/v1/projects", "/api/v1/projects", "{\"name\":\"{newProject}\"}", Needs.GLOBAL_ADMIN),
            row("GET /api/v1/projects/{project}", "/api/v1/projects/default", null, Needs.READ),
            row("GET /api/v1/storage", "/api/v1/storage", null, Needs.GLOBAL_ADMIN),
            row("GET /metrics", "/metrics", null, Needs.GLOBAL_ADMIN),
            row(
                    "POST /api/v1/projects/{project}/storage/move",
                    "/api/v1/projects/default/storage/move",
                    "{\"to\":\"local\"}",
                    Needs.GLOBAL_ADMIN),
            row(
                    "GET /api/v1/projects/{project}/storage/move",
                    "/api/v1/projects/default/storage/move",
                    null,
                    Needs.GLOBAL_ADMIN),
            row("GET /api/v1/projects/{project}/settings", "/api/v1/projects/default/settings", null, Needs.READ),
            row(
                    "PUT /api/v1/projects/{project}/settings",
                    "/api/v1/projects/default/settings",
                    "{\"keepVersions\":50}",
                    Needs.ADMIN),
            row(
                    "PATCH /api/v1/projects/{project}/settings",
                    "/api/v1/projects/default/settings",
                    "{\"keepVersions\":50}",
                    Needs.ADMIN),
            row("GET /api/v1/audit", "/api/v1/audit?project=default", null, Needs.ADMIN),
            row("GET /api/v1/audit", "/api/v1/audit", null, Needs.GLOBAL_ADMIN),
            row("GET /api/v1/projects/{project}/states", "/api/v1/projects/default/states", null, Needs.READ),
            // one state's history
            row("DELETE " + STATES, "/api/v1/projects/default/states/gone", null, Needs.ADMIN),
            row("GET " + STATES + "/versions", S + "/versions", null, Needs.READ),
            row("POST " + STATES + "/versions", S + "/versions", STATE, Needs.WRITE),
            row("GET " + STATES + "/versions/{n}", S + "/versions/1", null, Needs.READ),
            row("DELETE " + STATES + "/versions/{n}", S + "/versions/2", null, Needs.ADMIN),
            row("GET " + STATES + "/versions/{n}/content", S + "/versions/1/content", null, Needs.READ),
            row("GET " + STATES + "/versions/{n}/summary", S + "/versions/1/summary", null, Needs.READ),
            row("POST " + STATES + "/versions/{n}/restore", S + "/versions/1/restore", null, Needs.ADMIN),
            row("GET " + STATES + "/resources", S + "/resources", null, Needs.READ),
            row("GET " + STATES + "/outputs", S + "/outputs", null, Needs.READ),
            // the fleet: answers hold only what the caller may read
            row("GET /api/v1/search", "/api/v1/search?q=aws", null, Needs.ANY),
            row("GET /api/v1/fleet/states", "/api/v1/fleet/states", null, Needs.ANY),
            row("GET /api/v1/fleet/states", "/api/v1/fleet/states?format=csv", null, Needs.ANY),
            row("GET /api/v1/fleet/duplicates", "/api/v1/fleet/duplicates", null, Needs.ANY),
            row("GET " + STATES + "/consumers", S + "/consumers", null, Needs.READ),
            row("GET " + STATES + "/diff", S + "/diff?from=1&to=3", null, Needs.READ),
            row("GET " + STATES + "/sessions", S + "/sessions", null, Needs.READ),
            row("POST " + STATES + "/sessions/{lockId}/revert", S + "/sessions/matrix-lock/revert", null, Needs.ADMIN),
            row(
                    "POST " + STATES + "/surgery",
                    S + "/surgery",
                    "{\"dryRun\":true,\"operations\":[{\"op\":\"rm\",\"address\":\"terraform_data.none\"}]}",
                    Needs.WRITE),
            row("GET " + STATES + "/lock", S + "/lock", null, Needs.READ),
            row("DELETE " + STATES + "/lock", S + "/lock", null, Needs.ADMIN),
            row("GET " + STATES + "/quarantine", S + "/quarantine", null, Needs.READ),
            row("GET " + STATES + "/quarantine/{n}", S + "/quarantine/1", null, Needs.READ),
            row("DELETE " + STATES + "/quarantine/{n}", S + "/quarantine/1", null, Needs.ADMIN),
            row("GET " + STATES + "/quarantine/{n}/content", S + "/quarantine/1/content", null, Needs.READ),
            row("GET " + STATES + "/quarantine/{n}/diff", S + "/quarantine/1/diff", null, Needs.READ),
            row("POST " + STATES + "/quarantine/{n}/promote", S + "/quarantine/1/promote", null, Needs.ADMIN),
            row("POST " + STATES + "/permit", S + "/permit", "{\"minutes\":5}", Needs.ADMIN),
            row("DELETE " + STATES + "/permit", S + "/permit", null, Needs.ADMIN),
            row("GET " + STATES + "/outputs-access", S + "/outputs-access", null, Needs.READ),
            row("PUT " + STATES + "/outputs-access", S + "/outputs-access", "{}", Needs.ADMIN),
            // the web UI: the session cookie only (any other credential is not looked at: 303 to the login page)
            row("GET /", "/", null, Needs.NOTHING),
            row("GET /ui", "/ui", null, Needs.NOTHING),
            row("GET /ui/static/{file}", "/ui/static/htmx.min.js", null, Needs.NOTHING),
            row("GET /ui/static/{file}", "/ui/static/statefort.css", null, Needs.NOTHING),
            row("GET /ui/login", "/ui/login", null, Needs.NOTHING),
            row("POST /ui/login", "/ui/login", "username=login&password=" + PW.replace(' ', '+'), Needs.LOGIN),
            row("POST /ui/logout", "/ui/logout", null, Needs.UI_SESSION),
            row("GET /ui/password", "/ui/password", null, Needs.UI_SESSION),
            row(
                    "POST /ui/password",
                    "/ui/password",
                    "currentPassword=" + PW.replace(' ', '+') + "&password=" + PW.replace(' ', '+') + "&confirm="
                            + PW.replace(' ', '+'),
                    Needs.UI_SESSION),
            row("GET /ui/", "/ui/", null, Needs.UI_SESSION),
            row("GET /ui/projects/{project}", "/ui/projects/default", null, Needs.UI_READ),
            row(
                    "GET /ui/projects/{project}/states/{state}",
                    "/ui/projects/default/states/existing",
                    null,
                    Needs.UI_READ),
            row(
                    "POST /ui/projects/{project}/states/{state}/unlock",
                    "/ui/projects/default/states/existing/unlock",
                    null,
                    Needs.UI_ADMIN),
            // the web UI's history pages
            row("GET " + UI_STATES + "/versions/{n}", UI_S + "/versions/1", null, Needs.UI_READ),
            row("GET " + UI_STATES + "/diff", UI_S + "/diff?from=1&to=3", null, Needs.UI_READ),
            row("POST " + UI_STATES + "/versions/{n}/restore", UI_S + "/versions/1/restore", null, Needs.UI_ADMIN),
            row(
                    "POST " + UI_STATES + "/sessions/{lockId}/revert",
                    UI_S + "/sessions/matrix-lock/revert",
                    null,
                    Needs.UI_ADMIN),
            // the web UI's access pages
            row("GET /ui/tokens", "/ui/tokens", null, Needs.UI_SESSION),
            row("POST /ui/tokens", "/ui/tokens", "project=default&permission=read&owner=me", Needs.UI_READ),
            new Row(
                    "POST /ui/tokens/{id}/revoke",
                    "POST",
                    "/ui/tokens/{newToken}/revoke",
                    null,
                    Needs.UI_ADMIN,
                    null,
                    404),
            row("POST /ui/projects", "/ui/projects", "name={newProject}", Needs.UI_GLOBAL_ADMIN),
            row("GET /ui/audit", "/ui/audit", null, Needs.UI_GLOBAL_ADMIN),
            row("GET /ui/search", "/ui/search?q=aws", null, Needs.UI_SESSION),
            row("GET /ui/fleet", "/ui/fleet", null, Needs.UI_SESSION),
            row("GET /ui/fleet/export", "/ui/fleet/export?format=csv", null, Needs.UI_SESSION),
            row("GET /ui/fleet/duplicates", "/ui/fleet/duplicates", null, Needs.UI_SESSION),
            row("GET " + UI_STATES + "/readers", UI_S + "/readers", null, Needs.UI_READ),
            row("GET " + UI_STATES + "/surgery", UI_S + "/surgery", null, Needs.UI_WRITE),
            row(
                    "POST " + UI_STATES + "/surgery/preview",
                    UI_S + "/surgery/preview",
                    "address=terraform_data.none&operation=rm",
                    Needs.UI_WRITE),
            row(
                    "POST " + UI_STATES + "/surgery",
                    UI_S + "/surgery",
                    "address=terraform_data.none&operation=rm",
                    Needs.UI_WRITE),
            row("GET /ui/storage", "/ui/storage", null, Needs.UI_GLOBAL_ADMIN),
            row("GET /ui/audit", "/ui/audit?project=default&action=token.create", null, Needs.UI_ADMIN),
            row("GET /ui/projects/{project}/tokens", "/ui/projects/default/tokens", null, Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/upload/check",
                    "/ui/projects/default/upload/check",
                    "state=existing",
                    Needs.UI_WRITE),
            row("POST /ui/projects/{project}/upload", "/ui/projects/default/upload", "state=existing", Needs.UI_WRITE),
            row(
                    "POST /ui/projects/{project}/connect",
                    "/ui/projects/default/connect",
                    "state=existing",
                    Needs.UI_WRITE),
            row("GET /ui/projects/{project}/aliases", "/ui/projects/default/aliases", null, Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/aliases",
                    "/ui/projects/default/aliases",
                    "state=aliased&permission=read",
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/aliases/{id}/rotate",
                    "/ui/projects/default/aliases/{newAlias}/rotate",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/aliases/{id}/revoke",
                    "/ui/projects/default/aliases/{newAlias}/revoke",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "GET /ui/projects/{project}/trust-policies",
                    "/ui/projects/default/trust-policies",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/trust-policies",
                    "/ui/projects/default/trust-policies",
                    "name={newPolicy}&issuer=ci&claims=repository%3Dacme%2Finfra&permission=read",
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/trust-policies/{id}/delete",
                    "/ui/projects/default/trust-policies/nosuchpolicy/delete",
                    null,
                    Needs.UI_ADMIN),
            row("GET /ui/projects/{project}/protection", "/ui/projects/default/protection", null, Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/protection/rules",
                    "/ui/projects/default/protection/rules",
                    "states=matrix-*&allowTokens=matrix-token",
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/protection/rules/{number}/delete",
                    "/ui/projects/default/protection/rules/999/delete",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/protection/freeze",
                    "/ui/projects/default/protection/freeze",
                    "reason=matrix&until=2099-01-01T00:00",
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/protection/unfreeze",
                    "/ui/projects/default/protection/unfreeze",
                    null,
                    Needs.UI_ADMIN),
            row("GET /ui/projects/{project}/webhooks", "/ui/projects/default/webhooks", null, Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/webhooks",
                    "/ui/projects/default/webhooks",
                    "url=https%3A%2F%2Flocalhost%3A1%2Fui&event.lock.stale=on&format=json",
                    Needs.UI_ADMIN),
            row(
                    "GET /ui/projects/{project}/webhooks/{id}",
                    "/ui/projects/default/webhooks/wh_none",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/webhooks/{id}/ping",
                    "/ui/projects/default/webhooks/wh_none/ping",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/webhooks/{id}/rotate-secret",
                    "/ui/projects/default/webhooks/wh_none/rotate-secret",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/webhooks/{id}/delete",
                    "/ui/projects/default/webhooks/wh_none/delete",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/webhooks/{id}/deliveries/{event}/redeliver",
                    "/ui/projects/default/webhooks/wh_none/deliveries/none/redeliver",
                    null,
                    Needs.UI_ADMIN),
            row(
                    "POST " + UI_STATES + "/freeze",
                    "/ui/projects/default/states/frozen/freeze",
                    "reason=matrix",
                    Needs.UI_ADMIN),
            row(
                    "POST " + UI_STATES + "/freeze/lift",
                    "/ui/projects/default/states/frozen/freeze/lift",
                    null,
                    Needs.UI_ADMIN),
            row("GET /ui/projects/{project}/members", "/ui/projects/default/members", null, Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/members",
                    "/ui/projects/default/members",
                    "user={newUser}&role=viewer",
                    Needs.UI_ADMIN),
            row(
                    "POST /ui/projects/{project}/members/{user}/remove",
                    "/ui/projects/default/members/{newMember}/remove",
                    null,
                    Needs.UI_ADMIN),
            // the TFE API: discovery and ping open, organizations are projects, workspaces states
            row("GET /.well-known/terraform.json", "/.well-known/terraform.json", null, Needs.NOTHING),
            row("GET /api/v2/ping", "/api/v2/ping", null, Needs.NOTHING),
            row(
                    "GET /api/v2/organizations/{project}/entitlement-set",
                    "/api/v2/organizations/default/entitlement-set",
                    null,
                    Needs.ANY_IN_PROJECT),
            row(
                    "GET /api/v2/organizations/{project}/projects",
                    "/api/v2/organizations/default/projects?filter%5Bnames%5D=infra",
                    null,
                    Needs.ANY_IN_PROJECT),
            row(
                    "GET /api/v2/organizations/{project}/workspaces",
                    "/api/v2/organizations/default/workspaces?search[name]=exist",
                    null,
                    Needs.OUTPUTS),
            row(
                    "POST /api/v2/organizations/{project}/workspaces",
                    "/api/v2/organizations/default/workspaces",
                    "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"{newWorkspace}\"}}}",
                    Needs.WRITE),
            row(
                    "GET /api/v2/organizations/{project}/workspaces/{state}",
                    "/api/v2/organizations/default/workspaces/existing",
                    null,
                    Needs.OUTPUTS),
            row(
                    "DELETE /api/v2/organizations/{project}/workspaces/{state}",
                    "/api/v2/organizations/default/workspaces/never-made",
                    null,
                    Needs.ADMIN),
            row(TFE_WS, WS, null, Needs.OUTPUTS),
            row(
                    "PATCH " + TFE_WS.substring(4),
                    WS,
                    "{\"data\":{\"attributes\":{\"terraform-version\":\"1.11.4\"}}}",
                    Needs.WRITE),
            row(TFE_WS + "/relationships/tags", WS + "/relationships/tags", null, Needs.OUTPUTS),
            row("POST " + TFE_WS.substring(4) + "/relationships/tags", WS + "/relationships/tags", TAGS, Needs.WRITE),
            row("DELETE " + TFE_WS.substring(4) + "/relationships/tags", WS + "/relationships/tags", TAGS, Needs.WRITE),
            row("POST " + TFE_WS.substring(4) + "/actions/lock", TFE_LOCKED + "/actions/lock", TFE_LOCK, Needs.WRITE),
            row("POST " + TFE_WS.substring(4) + "/actions/unlock", TFE_LOCKED + "/actions/unlock", null, Needs.WRITE),
            row(
                    "POST " + TFE_WS.substring(4) + "/actions/force-unlock",
                    TFE_LOCKED + "/actions/force-unlock",
                    null,
                    Needs.WRITE),
            row(TFE_WS + "/current-state-version", WS + "/current-state-version", null, Needs.OUTPUTS),
            row(TFE_WS + "/current-state-version-outputs", WS + "/current-state-version-outputs", null, Needs.OUTPUTS),
            row(TFE_WS + "/state-versions", WS + "/state-versions", null, Needs.READ),
            row("POST " + TFE_WS.substring(4) + "/state-versions", WS + "/state-versions", TFE_VERSION, Needs.WRITE),
            row(
                    "GET /api/v2/state-versions/{version}",
                    "/api/v2/state-versions/" + tfeId("sv-", "existing/n1"),
                    null,
                    Needs.OUTPUTS),
            row(
                    "GET /api/v2/state-versions/{version}/download",
                    "/api/v2/state-versions/" + tfeId("sv-", "existing/n1") + "/download",
                    null,
                    Needs.OUTPUTS),
            row(
                    "GET /api/v2/state-version-outputs/{output}",
                    "/api/v2/state-version-outputs/" + tfeId("wsout-", "existing/1/name"),
                    null,
                    Needs.OUTPUTS),
            row("PUT /api/v2/uploads/{secret}", "/api/v2/uploads/" + "0".repeat(64), STATE, Needs.NOTHING),
            row("GET /ui/projects/{project}/settings", "/ui/projects/default/settings", null, Needs.UI_READ),
            row(
                    "POST /ui/projects/{project}/settings",
                    "/ui/projects/default/settings",
                    "keepVersions=100&guard=warn&guardRemovalPercent=50&lockStaleMinutes=60",
                    Needs.UI_ADMIN));

    /** A row whose method is the route's; the state acted on is read from the path. */
    private static Row row(String route, String path, String body, Needs needs) {
        String method = route.substring(0, route.indexOf(' '));
        return new Row(route, method, path, body, needs, stateOf(path), 403);
    }

    private static StateKey stateOf(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] s = p.split("/");
        if (s.length >= 4 && s[1].equals("tf") && !s[2].equals("alias")) {
            return new StateKey(s[2], s[3]);
        }
        if (s.length >= 6 && s[1].equals("ui") && s[2].equals("projects") && s[4].equals("states")) {
            return new StateKey(s[3], s[5]);
        }
        if (s.length >= 7 && s[1].equals("api") && s[3].equals("projects") && s[5].equals("states")) {
            return new StateKey(s[4], s[6]);
        }
        if (s.length >= 7
                && s[1].equals("api")
                && s[2].equals("v2")
                && s[3].equals("organizations")
                && s[5].equals("workspaces")) {
            return new StateKey(s[4], s[6]);
        }
        if (s.length >= 5
                && s[1].equals("api")
                && s[2].equals("v2")
                && List.of("workspaces", "state-versions", "state-version-outputs")
                        .contains(s[3])) {
            String id = s[4];
            String plain = new String(
                    java.util.Base64.getUrlDecoder().decode(id.substring(id.indexOf('-') + 1)),
                    java.nio.charset.StandardCharsets.UTF_8);
            String[] parts = plain.split("/");
            return new StateKey(parts[0], parts[1]);
        }
        return null;
    }
}
