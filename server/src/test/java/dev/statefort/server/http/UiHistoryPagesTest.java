package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.StateKey;
import dev.statefort.core.testing.TestPrincipals;
import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI's history pages over HTTP without a browser: a version's metadata and masked JSON, the diff
 * attribute by attribute, restore and revert-session with confirmation forms for admins only, the
 * CSRF check, and the refusal while someone else holds the lock. Browser tests: {@code
 * WebUiHistoryBrowserTest} in {@code it/}.
 */
class UiHistoryPagesTest extends UiServerTest {
    private static final String PASSWORD = "ui history password 1";
    private static final String XSS = "<script>alert(1)</script>";
    private static final String SECRET = "hunter2-db-password";
    private static final String APPLY = "apply-lock-1";

    UiHistoryPagesTest() {
        super(PASSWORD);
    }

    @BeforeAll
    void versionsAndAnApplySession() {
        // v1 without a lock, then one apply session (v2 intermediate, v3 its last write)
        write("hist", state(1, "app:1.0", "\"old\""), null);
        lock("hist", APPLY);
        write("hist", state(2, "app:2.0", "\"mid\""), APPLY);
        write("hist", state(3, "app:3.0", "\"new\""), APPLY);
        unlock("hist", APPLY);
        write("opaque", "{\"encrypted_data\":\"AAAA\",\"encryption_version\":\"v0\",\"version\":4}", null);
    }

    @Test
    void aVersionPageShowsItsMetadataAndItsContentMaskedAndEscaped() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> v2 = ui.get("/ui/projects/default/states/hist/versions/2", s.cookie());

        assertThat(v2.statusCode()).isEqualTo(200);
        var record = server.node()
                .state()
                .insight()
                .version(TestPrincipals.admin("test"), new StateKey("default", "hist"), 2);
        assertThat(v2.body())
                .contains(record.sha256())
                .contains(APPLY)
                .contains("intermediate snapshot")
                .contains("\"image\" : \"app:2.0\"")
                .contains("<dd>Apply</dd>")
                .contains("(sensitive)")
                .doesNotContain(SECRET)
                .contains("terraform_data.&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(XSS)
                .contains("href=\"/api/v1/projects/default/states/hist/versions/2/content\"")
                .contains("href=\"/ui/projects/default/states/hist/diff?from=1&amp;to=2\"")
                .contains("action=\"/ui/projects/default/states/hist/versions/2/restore\"");
    }

    @Test
    void anOpaqueVersionSaysItsContentsAreNotReadable() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> page = ui.get("/ui/projects/default/states/opaque/versions/1", s.cookie());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("contents not readable").doesNotContain("AAAA");
    }

    @Test
    void theDiffShowsChangedAttributesWithSensitiveValuesMasked() throws Exception {
        Session s = ui.login("victor");

        HttpResponse<String> diff = ui.get("/ui/projects/default/states/hist/diff?from=1&to=3", s.cookie());

        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.body())
                .contains("Changed: <code>terraform_data.&lt;script&gt;alert(1)&lt;/script&gt;</code>")
                .contains("input.image")
                .contains("app:1.0")
                .contains("app:3.0")
                .contains("input.password")
                .contains("badge sensitive")
                .doesNotContain(SECRET)
                .doesNotContain(XSS)
                .contains("terraform_data.extra") // added in v3
                .contains("note"); // the output that changed
        assertThat(ui.get("/ui/projects/default/states/hist/diff?from=1", s.cookie())
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theStatePageLinksEveryVersionOffersTheCompareFormAndListsTheSession() throws Exception {
        Session s = ui.login("alice");

        HttpResponse<String> page = ui.get("/ui/projects/default/states/hist", s.cookie());

        assertThat(page.body())
                .contains("href=\"/ui/projects/default/states/hist/versions/1\"")
                .contains("id=\"compare-form\"")
                .contains("id=\"session-list\"")
                .contains(APPLY)
                .contains("intermediate snapshot")
                .contains("action=\"/ui/projects/default/states/hist/sessions/" + APPLY + "/revert\"");
    }

    @Test
    void aViewerSeesNoRestoreNorRevertAndMayNotPostThem() throws Exception {
        Session viewer = ui.login("victor");
        StateKey key = new StateKey("default", "hist");
        long before = server.node()
                .state()
                .insight()
                .current(TestPrincipals.admin("test"), key)
                .number();

        HttpResponse<String> version = ui.get("/ui/projects/default/states/hist/versions/1", viewer.cookie());
        HttpResponse<String> state = ui.get("/ui/projects/default/states/hist", viewer.cookie());
        HttpResponse<String> restore =
                ui.post("/ui/projects/default/states/hist/versions/1/restore", form("_csrf", viewer.csrf()), viewer);
        HttpResponse<String> revert = ui.post(
                "/ui/projects/default/states/hist/sessions/" + APPLY + "/revert", form("_csrf", viewer.csrf()), viewer);

        assertThat(version.body()).doesNotContain("/restore").doesNotContain("Restore this version");
        assertThat(state.body()).doesNotContain("/revert").contains(APPLY);
        assertThat(restore.statusCode()).isEqualTo(403);
        assertThat(revert.statusCode()).isEqualTo(403);
        assertThat(server.node()
                        .state()
                        .insight()
                        .current(TestPrincipals.admin("test"), key)
                        .number())
                .isEqualTo(before);
    }

    @Test
    void restoreNeedsTheCsrfTokenThenRedirectsWithANotice() throws Exception {
        write("restored", state(1, "app:1.0", "\"a\""), null);
        write("restored", state(2, "app:2.0", "\"b\""), null);
        StateKey key = new StateKey("default", "restored");
        Session s = ui.login("alice");

        HttpResponse<String> forged = ui.post("/ui/projects/default/states/restored/versions/1/restore", "", s);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(server.node()
                        .state()
                        .insight()
                        .current(TestPrincipals.admin("test"), key)
                        .number())
                .isEqualTo(2);

        HttpResponse<String> done =
                ui.post("/ui/projects/default/states/restored/versions/1/restore", form("_csrf", s.csrf()), s);

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location"))
                .contains("/ui/projects/default/states/restored?done=restored");
        assertThat(server.node()
                        .state()
                        .insight()
                        .current(TestPrincipals.admin("test"), key)
                        .number())
                .isEqualTo(3);
        assertThat(server.node()
                        .state()
                        .insight()
                        .diff(TestPrincipals.admin("test"), key, 1, 3)
                        .orElseThrow()
                        .resourcesChanged())
                .isEmpty();
        assertThat(ui.get("/ui/projects/default/states/restored?done=restored", s.cookie())
                        .body())
                .contains("The version was restored");
    }

    @Test
    void restoreAndRevertAreRefusedWhileSomeoneElseHoldsTheLock() throws Exception {
        write("held", state(1, "app:1.0", "\"a\""), null);
        lock("held", "other-apply");
        write("held", state(2, "app:2.0", "\"b\""), "other-apply");
        StateKey key = new StateKey("default", "held");
        Session s = ui.login("alice");

        HttpResponse<String> restore =
                ui.post("/ui/projects/default/states/held/versions/1/restore", form("_csrf", s.csrf()), s);
        HttpResponse<String> revert =
                ui.post("/ui/projects/default/states/held/sessions/other-apply/revert", form("_csrf", s.csrf()), s);

        assertThat(restore.statusCode()).isEqualTo(423);
        assertThat(restore.body()).contains("locked by").contains("other-apply").contains("Nothing was restored");
        assertThat(revert.statusCode()).isEqualTo(423);
        assertThat(revert.body()).contains("The session was not reverted");
        assertThat(server.node()
                        .state()
                        .insight()
                        .current(TestPrincipals.admin("test"), key)
                        .number())
                .isEqualTo(2);
        unlock("held", "other-apply");
    }

    @Test
    void revertingASessionRestoresTheVersionBeforeIt() throws Exception {
        write("reverted", state(1, "app:1.0", "\"a\""), null);
        lock("reverted", "bad-apply");
        write("reverted", state(2, "app:2.0", "\"b\""), "bad-apply");
        unlock("reverted", "bad-apply");
        StateKey key = new StateKey("default", "reverted");
        Session s = ui.login("alice");

        HttpResponse<String> done =
                ui.post("/ui/projects/default/states/reverted/sessions/bad-apply/revert", form("_csrf", s.csrf()), s);

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location"))
                .contains("/ui/projects/default/states/reverted?done=reverted");
        assertThat(server.node()
                        .state()
                        .insight()
                        .current(TestPrincipals.admin("test"), key)
                        .number())
                .isEqualTo(3);
        assertThat(server.node()
                        .state()
                        .insight()
                        .diff(TestPrincipals.admin("test"), key, 1, 3)
                        .orElseThrow()
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aSessionThatWroteTheOldestVersionOffersNoRevert() throws Exception {
        lock("fresh", "first-apply");
        write("fresh", state(1, "app:1.0", "\"a\""), "first-apply");
        unlock("fresh", "first-apply");
        Session s = ui.login("alice");

        HttpResponse<String> page = ui.get("/ui/projects/default/states/fresh", s.cookie());
        HttpResponse<String> forced =
                ui.post("/ui/projects/default/states/fresh/sessions/first-apply/revert", form("_csrf", s.csrf()), s);

        assertThat(page.body())
                .contains("first-apply")
                .contains("nothing before it")
                .doesNotContain("/revert\"");
        assertThat(forced.statusCode()).isEqualTo(409);
        assertThat(forced.body()).contains("no version");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** One resource with a sensitive attribute (and a copy of its value Terraform did not mark) and two outputs. */
    private static String state(int serial, String image, String note) {
        String name = XSS.replace("\"", "");
        String extra = serial >= 3
                ? ",{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"extra\",\"instances\":[{\"attributes\":{\"id\":\"e\"}}]}"
                : "";
        return "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"l-hist\",\"terraform_version\":\"1.9.0\","
                + "\"outputs\":{\"note\":{\"value\":" + note + ",\"type\":\"string\"},"
                + "\"secret\":{\"value\":\"" + SECRET + "\",\"type\":\"string\",\"sensitive\":true}},"
                + "\"resources\":[{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"" + name + "\","
                + "\"instances\":[{\"attributes\":{\"id\":\"1\",\"input\":{\"image\":\"" + image
                + "\",\"password\":\"" + SECRET + serial + "\"},\"output\":{\"password\":\"" + SECRET + serial
                + "\"}},\"sensitive_attributes\":[[{\"type\":\"get_attr\",\"value\":\"input\"},"
                + "{\"type\":\"get_attr\",\"value\":\"password\"}]]}]}" + extra + "]}";
    }

    private void write(String state, String body, String lockId) {
        String path = "/tf/default/" + state + (lockId == null ? "" : "?ID=" + lockId);
        assertThat(server.send("POST", path, body, admin).status()).isEqualTo(200);
    }

    private void lock(String state, String id) {
        String info = "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}";
        assertThat(server.send("LOCK", "/tf/default/" + state + "/lock", info, admin)
                        .status())
                .isEqualTo(200);
    }

    private void unlock(String state, String id) {
        String info = "{\"ID\":\"" + id + "\"}";
        assertThat(server.send("UNLOCK", "/tf/default/" + state + "/lock", info, admin)
                        .status())
                .isEqualTo(200);
    }
}
