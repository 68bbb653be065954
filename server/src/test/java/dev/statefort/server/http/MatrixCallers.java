package dev.statefort.server.http;

import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.TrustPolicyAdministration;
import dev.statefort.core.identity.TrustPolicyForm;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.server.wiring.StatefortNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The callers of the authorization matrix and what each has in project {@code default}. */
final class MatrixCallers {
    /** How a caller presents itself. */
    enum Kind {
        NONE,
        /** An Authorization header that authenticates nobody. */
        BAD,
        TOKEN,
        SESSION,
        ALIAS
    }

    /**
     * @param inDefault its permission in project {@code default} (null: none)
     * @param everywhere a global admin
     * @param onlyState it acts on this state only
     * @param user it acts for a user (a session, or a user's token)
     * @param csrf a session caller that sends the CSRF token
     */
    record Caller(
            String name,
            Kind kind,
            String authorization,
            String sessionUser,
            Permission inDefault,
            boolean everywhere,
            StateKey onlyState,
            String user,
            boolean csrf) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Principal SYSTEM = new Principal("test", null, Permission.ADMIN);

    private final StatefortNode node;
    private final List<Caller> all = new ArrayList<>();
    private final String globalAdminToken;
    private final Map<String, String> aliasCredentials = new HashMap<>();

    MatrixCallers(StatefortNode node) {
        this.node = node;
        globalAdminToken = TestServer.bearer(token(null, Permission.ADMIN));
        IssuedToken revoked = node.access().tokens().create("default", Permission.ADMIN, "revoked");
        node.access().tokens().revoke(revoked.record().id());
        String expired = AuthorizationMatrixTest.expiredToken((InMemoryMetadataStore) node.metadata());

        add("no credentials", Kind.NONE, null, null, null, false, null, null, true);
        add("malformed token", Kind.BAD, TestServer.bearer("sft_not_a_token"), null, null, false, null, null, true);
        add("revoked admin token", Kind.BAD, TestServer.bearer(revoked.token()), null, null, false, null, null, true);
        add("expired admin token", Kind.BAD, TestServer.basic(expired), null, null, false, null, null, true);
        add(
                "write token of another project",
                Kind.TOKEN,
                basic("other", Permission.WRITE),
                null,
                null,
                false,
                null,
                null,
                true);
        add(
                "outputs token",
                Kind.TOKEN,
                basic("default", Permission.OUTPUTS),
                null,
                Permission.OUTPUTS,
                false,
                null,
                null,
                true);
        add(
                "read token",
                Kind.TOKEN,
                basic("default", Permission.READ),
                null,
                Permission.READ,
                false,
                null,
                null,
                true);
        add(
                "write token",
                Kind.TOKEN,
                TestServer.bearer(token("default", Permission.WRITE)),
                null,
                Permission.WRITE,
                false,
                null,
                null,
                true);
        add(
                "project admin token",
                Kind.TOKEN,
                basic("default", Permission.ADMIN),
                null,
                Permission.ADMIN,
                false,
                null,
                null,
                true);
        add("global admin token", Kind.TOKEN, globalAdminToken, null, Permission.ADMIN, true, null, null, true);
        StateKey existing = new StateKey("default", "existing");
        String stateToken = node.access()
                .tokens()
                .create(AuthorizationMatrixTest.request("default", "existing", Permission.ADMIN, null), SYSTEM)
                .token();
        add(
                "admin token of state existing",
                Kind.TOKEN,
                TestServer.bearer(stateToken),
                null,
                Permission.ADMIN,
                false,
                existing,
                null,
                true);

        user("viewer", Role.VIEWER, false);
        user("writer", Role.WRITER, false);
        user("padmin", Role.ADMIN, false);
        user("outsider", null, false);
        user("root", null, true);
        add("viewer session", Kind.SESSION, null, "viewer", Permission.READ, false, null, "viewer", true);
        add("writer session", Kind.SESSION, null, "writer", Permission.WRITE, false, null, "writer", true);
        add(
                "writer session without CSRF token",
                Kind.SESSION,
                null,
                "writer",
                Permission.WRITE,
                false,
                null,
                "writer",
                false);
        add("project admin session", Kind.SESSION, null, "padmin", Permission.ADMIN, false, null, "padmin", true);
        add("non-member session", Kind.SESSION, null, "outsider", null, false, null, "outsider", true);
        add("global admin session", Kind.SESSION, null, "root", Permission.ADMIN, true, null, "root", true);

        user("capped", Role.VIEWER, false);
        String capped = node.access()
                .tokens()
                .create(AuthorizationMatrixTest.request("default", null, Permission.ADMIN, "capped"), SYSTEM)
                .token();
        add(
                "admin token of a viewer user",
                Kind.TOKEN,
                TestServer.basic(capped),
                null,
                Permission.READ,
                false,
                null,
                "capped",
                true);
        add("alias of state aliased", Kind.ALIAS, null, null, null, false, null, null, true);
    }

    /**
     * CI jobs' OIDC tokens (issue 28) from {@code issuer}, configured on the node as {@code ci}: one a
     * policy lets write the whole project {@code default}, one another lets read state {@code existing}
     * only, one no policy matches, and one for another audience (a bad credential).
     */
    void addOidcCallers(FakeOidcIssuer issuer) {
        TrustPolicyAdministration policies = node.access().trustAdmin();
        policies.create(
                SYSTEM,
                "default",
                new TrustPolicyForm("matrix-write", "ci", Map.of("repository", "acme/infra"), "write", "*"));
        policies.create(
                SYSTEM,
                "default",
                new TrustPolicyForm(
                        "matrix-read-existing", "ci", Map.of("repository", "acme/reader"), "read", "existing"));
        Instant now = Instant.now();
        add(
                "OIDC token with write on project default",
                Kind.TOKEN,
                TestServer.bearer(issuer.github("acme/infra", "refs/heads/main", now, 3600)),
                null,
                Permission.WRITE,
                false,
                null,
                null,
                true);
        add(
                "OIDC token with read on state existing",
                Kind.TOKEN,
                TestServer.basic(issuer.github("acme/reader", "refs/heads/main", now, 3600)),
                null,
                Permission.READ,
                false,
                new StateKey("default", "existing"),
                null,
                true);
        add(
                "OIDC token no policy matches",
                Kind.TOKEN,
                TestServer.bearer(issuer.github("acme/elsewhere", "refs/heads/main", now, 3600)),
                null,
                null,
                false,
                null,
                null,
                true);
        add(
                "OIDC token for another audience",
                Kind.BAD,
                TestServer.bearer(issuer.signRs256(issuer.claims("repo:acme/infra", now, 3600)
                        .audience("another-service")
                        .claim("repository", "acme/infra")
                        .build())),
                null,
                null,
                false,
                null,
                null,
                true);
    }

    List<Caller> all() {
        return all;
    }

    String globalAdminToken() {
        return globalAdminToken;
    }

    /** A write alias of {@code state}; the first one made is the matrix's alias caller. */
    String createAlias(StateKey state) {
        AliasService.IssuedAlias alias = node.access().aliases().create(state, Permission.WRITE, SYSTEM, null);
        if (aliasCredentials.isEmpty()) {
            aliasCredentials.put(
                    "authorization",
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString((alias.alias().username() + ":" + alias.password())
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return alias.alias().id();
    }

    /** The headers {@code caller} sends: a token or alias Authorization, or a fresh session cookie (and CSRF header). */
    Map<String, String> headers(Caller caller, MatrixEndpoints.Row row) {
        return switch (caller.kind()) {
            case NONE -> Map.of();
            case BAD, TOKEN -> Map.of("Authorization", caller.authorization());
            case ALIAS -> Map.of("Authorization", aliasCredentials.get("authorization"));
            case SESSION -> {
                Map<String, String> session = AuthorizationMatrixTest.session(node, caller.sessionUser());
                Map<String, String> headers = new HashMap<>();
                headers.put("Cookie", Authenticator.SESSION_COOKIE + "=" + session.get("cookie"));
                if (caller.csrf()) {
                    headers.put(Authenticator.CSRF_HEADER, session.get("csrf"));
                }
                yield headers;
            }
        };
    }

    private void add(
            String name,
            Kind kind,
            String authorization,
            String sessionUser,
            Permission inDefault,
            boolean everywhere,
            StateKey onlyState,
            String user,
            boolean csrf) {
        all.add(new Caller(name, kind, authorization, sessionUser, inDefault, everywhere, onlyState, user, csrf));
    }

    private void user(String name, Role role, boolean globalAdmin) {
        node.access().users().create(name, AuthorizationMatrixTest.PASSWORD, globalAdmin);
        if (role != null) {
            node.access().users().putMember("default", name, role);
        }
    }

    private String token(String project, Permission permission) {
        return node.access().tokens().create(project, permission, "matrix").token();
    }

    private String basic(String project, Permission permission) {
        return TestServer.basic(token(project, permission));
    }
}
