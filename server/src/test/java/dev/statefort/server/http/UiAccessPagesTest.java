package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.policy.GuardMode;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.http.UiClient.Session;
import dev.statefort.server.http.ui.UiProjectAdminPages;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI's access pages over HTTP: a new token or alias password shown once (no-store) and never
 * in a list, names escaped, the Connect panel's token, viewers without admin actions, CSRF on every
 * form, and that every change goes through the REST API's rules and audit events.
 */
class UiAccessPagesTest extends UiServerTest {
    private static final String PASSWORD = "ui access password 1";
    private static final String XSS = "<script>alert(1)</script>";
    private static final Pattern TOKEN = Pattern.compile("sft_[a-z0-9]{12}_[0-9a-f]{64}");

    UiAccessPagesTest() {
        super(PASSWORD);
    }

    @BeforeAll
    void aUserWithoutProjectsAndAState() {
        server.node().access().users().create("newbie", PASSWORD, false);
        written("web", "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}");
    }

    @Test
    void aNewTokenIsShownOnceUncachedWorksAndIsNeverInTheList() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> created = ui.post(
                "/ui/tokens",
                form(
                        "_csrf",
                        s.csrf(),
                        "name",
                        XSS,
                        "project",
                        "default",
                        "permission",
                        "read",
                        "owner",
                        "me",
                        "expiresInDays",
                        "30"),
                s);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(created.body()).contains("it will not be shown again").doesNotContain(XSS);
        Matcher m = TOKEN.matcher(created.body());
        assertThat(m.find()).isTrue();
        String token = m.group();
        assertThat(server.send("GET", "/api/v1/projects/default/states", null, token)
                        .status())
                .isEqualTo(200);

        HttpResponse<String> list = ui.get("/ui/tokens", s);
        String id = token.substring(4, 16);
        assertThat(list.body())
                .contains(id)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("in 30 days")
                .doesNotContain(XSS)
                .doesNotContain(token.substring(17));
        assertThat(auditActions("default")).contains("token.create");
    }

    @Test
    void revokingATokenNeedsTheCsrfTokenAndStopsIt() throws Exception {
        Session s = ui.login("alice");
        String token = firstToken(ui.post(
                        "/ui/tokens",
                        form("_csrf", s.csrf(), "project", "default", "permission", "write", "owner", "project"),
                        s)
                .body());
        String id = token.substring(4, 16);
        assertThat(ui.get("/ui/projects/default/tokens", s).body()).contains(id).contains("project:default");

        HttpResponse<String> forged = ui.post("/ui/tokens/" + id + "/revoke", form("back", "/ui/tokens"), s);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(server.node().access().tokens().find(id).map(TokenRecord::isRevoked))
                .contains(false);

        HttpResponse<String> revoked = ui.post(
                "/ui/tokens/" + id + "/revoke", form("_csrf", s.csrf(), "back", "/ui/projects/default/tokens"), s);
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(location(revoked)).contains("/ui/projects/default/tokens?done=token-revoked");
        assertThat(server.send("GET", "/api/v1/projects/default/states", null, token)
                        .status())
                .isEqualTo(403); // a revoked token is refused, as any bad credential
        assertThat(auditActions("default")).contains("token.revoke");
    }

    @Test
    void theConnectPanelMintsAWriteTokenForThatStateWithTheBackendBlock() throws Exception {
        Session s = ui.login("alice");
        assertThat(ui.get("/ui/projects/default/states/web", s).body()).contains("Create a token for this state");

        HttpResponse<String> r = ui.post("/ui/projects/default/connect", form("_csrf", s.csrf(), "state", "web"), s);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        String token = firstToken(r.body());
        assertThat(r.body())
                .contains("/tf/default/web/lock")
                .contains("export TF_HTTP_PASSWORD=" + token)
                .contains("backend \"http\"");
        TokenRecord record =
                server.node().access().tokens().find(token.substring(4, 16)).orElseThrow();
        assertThat(record.state()).isEqualTo("web");
        assertThat(record.permission()).isEqualTo(Permission.WRITE);
        assertThat(record.ownerUser()).isEqualTo("alice");
    }

    @Test
    void aViewerSeesNoAdminActionsAndIsRefusedThem() throws Exception {
        Session v = ui.login("victor");

        String project = ui.get("/ui/projects/default", v).body();
        assertThat(project).contains("/ui/projects/default/settings").doesNotContain("/ui/projects/default/members");
        assertThat(ui.get("/ui/projects/default/states/web", v).body()).doesNotContain("Create a token for this state");
        assertThat(ui.get("/ui/projects/default/members", v).statusCode()).isEqualTo(403);
        assertThat(ui.get("/ui/projects/default/aliases", v).statusCode()).isEqualTo(403);
        assertThat(ui.get("/ui/audit?project=default", v).statusCode()).isEqualTo(403);
        String settings = ui.get("/ui/projects/default/settings", v).body();
        assertThat(settings).contains("read-only").contains("disabled").doesNotContain("Save settings");
        HttpResponse<String> save = ui.post(
                "/ui/projects/default/settings",
                form(
                        "_csrf",
                        v.csrf(),
                        "keepVersions",
                        "1",
                        "guard",
                        "off",
                        "guardRemovalPercent",
                        "50",
                        "lockStaleMinutes",
                        "5"),
                v);
        assertThat(save.statusCode()).isEqualTo(403);
        assertThat(server.node().project().settings().project("default").keepVersions())
                .isNotEqualTo(1);
    }

    @Test
    void membersAreAddedChangedAndRemovedWithTheCsrfTokenOnly() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> forged =
                ui.post("/ui/projects/default/members", form("user", "newbie", "role", "admin"), s);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(roleOf("newbie")).isNull();

        ui.post("/ui/projects/default/members", form("_csrf", s.csrf(), "user", "newbie", "role", "writer"), s);
        assertThat(roleOf("newbie")).isEqualTo(Role.WRITER);
        assertThat(ui.get("/ui/projects/default/members", s).body())
                .contains("newbie")
                .contains("Remove newbie");

        HttpResponse<String> removed =
                ui.post("/ui/projects/default/members/newbie/remove", form("_csrf", s.csrf()), s);
        assertThat(location(removed)).contains("done=member-removed");
        assertThat(roleOf("newbie")).isNull();
        assertThat(auditActions("default")).contains("member.put", "member.remove");
    }

    @Test
    void anAliasShowsItsPasswordOnceAndIsRotatedAndRevoked() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> created = ui.post(
                "/ui/projects/default/aliases", form("_csrf", s.csrf(), "state", "web", "permission", "write"), s);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        Matcher m = Pattern.compile("export TF_HTTP_PASSWORD=([0-9a-f]{64})").matcher(created.body());
        assertThat(m.find()).isTrue();
        String id = server.node().access().aliases().list("default").get(0).id();
        assertThat(created.body()).contains("/tf/alias/" + id);
        assertThat(ui.get("/ui/projects/default/aliases", s).body())
                .contains(id)
                .doesNotContain(m.group(1));

        HttpResponse<String> rotated =
                ui.post("/ui/projects/default/aliases/" + id + "/rotate", form("_csrf", s.csrf()), s);
        assertThat(rotated.body()).contains("Alias rotated").doesNotContain(m.group(1));
        ui.post("/ui/projects/default/aliases/" + id + "/revoke", form("_csrf", s.csrf()), s);
        assertThat(server.node().access().aliases().find(id).orElseThrow().isRevoked())
                .isTrue();
        assertThat(auditActions("default")).contains("alias.create", "alias.rotate", "alias.revoke");
    }

    @Test
    void settingsAreSavedThroughTheRestPatchPathAndBadValuesRefused() throws Exception {
        Session s = ui.login("alice");
        String[] fields = {"keepVersions", "20", "keepDays", "", "guard", "enforce", "guardRemovalPercent", "30"};

        HttpResponse<String> bad = ui.post(
                "/ui/projects/default/settings", form(with(fields, "_csrf", s.csrf(), "lockStaleMinutes", "0")), s);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("lockStaleMinutes must be at least 1");

        HttpResponse<String> ok = ui.post(
                "/ui/projects/default/settings",
                form(with(
                        fields,
                        "_csrf",
                        s.csrf(),
                        "lockStaleMinutes",
                        "15",
                        "lockAutoExpireMinutes",
                        "240",
                        "snapshotIntervalSeconds",
                        "0")),
                s);
        assertThat(location(ok)).contains("done=settings-saved");
        var saved = server.node().project().settings().project("default");
        assertThat(saved.snapshotInterval())
                .as("a cloud block saves only the final state")
                .isZero();
        assertThat(saved.guard()).isEqualTo(GuardMode.ENFORCE);
        assertThat(saved.lockAutoExpireMinutes()).isEqualTo(240);
        assertThat(saved.keepDays()).isNull();
        assertThat(ui.get("/ui/projects/default/settings?done=settings-saved", s)
                        .body())
                .contains("The settings were saved.")
                .contains("value=\"240\"");
        assertThat(auditActions("default")).contains("project.settings");
    }

    @Test
    void theAuditPageFiltersPagesAndIsForAdminsOnly() throws Exception {
        for (int i = 0; i < UiProjectAdminPages.AUDIT_PAGE + 5; i++) {
            server.node()
                    .project()
                    .audit()
                    .record(
                            TestPrincipals.admin("user:pager"),
                            AuditAction.QUARANTINE_DROP,
                            "default",
                            "web",
                            Map.of("n", i));
        }
        Session root = ui.login("root", true);
        Session alice = ui.login("alice");

        HttpResponse<String> first = ui.get("/ui/audit?principal=user:pager", root);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("quarantine.drop").contains("Older events");
        Matcher older =
                Pattern.compile("href=\"(/ui/audit\\?[^\"]+)\" rel=\"next\"").matcher(first.body());
        assertThat(older.find()).isTrue();
        HttpResponse<String> second = ui.get(older.group(1).replace("&amp;", "&"), root);
        assertThat(second.body()).contains("{\"n\":0}").doesNotContain("Older events");

        assertThat(ui.get("/ui/audit", alice).statusCode()).isEqualTo(403);
        HttpResponse<String> project =
                ui.get("/ui/audit?project=default&action=quarantine.drop&from=2000-01-01T00:00", alice);
        assertThat(project.statusCode()).isEqualTo(200);
        assertThat(project.body()).contains("user:pager");
        assertThat(ui.get("/ui/audit?project=default&from=yesterday", alice).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aGlobalAdminCreatesAProjectFromTheProjectsPage() throws Exception {
        Session root = ui.login("root", true);
        Session alice = ui.login("alice");
        assertThat(ui.get("/ui/", root).body()).contains("New project");
        assertThat(ui.get("/ui/", alice).body()).doesNotContain("New project");

        HttpResponse<String> r = ui.post("/ui/projects", form("_csrf", root.csrf(), "name", "made-in-ui"), root);

        assertThat(location(r)).contains("/ui/projects/made-in-ui?done=project-created");
        assertThat(ui.get("/ui/projects/made-in-ui", root).body()).contains("Connect Terraform");
        assertThat(ui.post("/ui/projects", form("_csrf", alice.csrf(), "name", "not-hers"), alice)
                        .statusCode())
                .isEqualTo(403);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private java.util.List<String> auditActions(String project) {
        return server.node().project().audit().list(new AuditQuery(project, null, null, 1000, null)).stream()
                .map(e -> e.action())
                .toList();
    }

    private Role roleOf(String user) {
        return server.node().access().users().members("default").stream()
                .filter(m -> m.user().equals(user))
                .map(m -> m.role())
                .findFirst()
                .orElse(null);
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElse("");
    }

    private static String firstToken(String body) {
        Matcher m = TOKEN.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group();
    }

    private static String[] with(String[] fields, String... more) {
        String[] all = java.util.Arrays.copyOf(fields, fields.length + more.length);
        System.arraycopy(more, 0, all, fields.length, more.length);
        return all;
    }
}
