package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.statefort.it.support.RealServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI in a real browser (Debian's Chromium through Playwright) against the runnable jar: so
 * the templates, htmx and the stylesheet are proven to be in it. Data is written through the API;
 * each test ends with a screenshot of its final page in {@code it/target/screenshots/<test>.png}.
 */
class WebUiBrowserTest {
    static final String PROJECT = "webui";
    static final String PASSWORD = "browser test password 1";
    static final String XSS = "<script>alert(1)</script>";

    static final RealServer node = RealServer.started().setUp(WebUiBrowserTest::projectUsersAndStates);

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node).screenshotEachTest();

    /** This test's page (set by the fixture). */
    Page page;

    static void projectUsersAndStates(RealServer n) {
        n.json("POST", "/api/v1/projects", "{\"name\":\"" + PROJECT + "\"}", 201);
        n.createUser("ops", PASSWORD, true);
        n.createUser("viewer", PASSWORD, false);
        n.addMember(PROJECT, "viewer", "viewer");
        write("network", state(1, "aws_vpc", "main"));
        write("network", state(2, "aws_vpc", "main", "aws_subnet", "private", "aws_subnet", "public"));
        write("xss", state(1, "terraform_data", XSS));
    }

    // ---- the tests -----------------------------------------------------------------------------------------------

    @Test
    void theAdminLogsInWithTheFirstStartPasswordAndChangesIt() throws Exception {
        String initial = Files.readString(
                        node.server().dataDir().resolve("initial-admin-password"), StandardCharsets.UTF_8)
                .strip();
        page.navigate("/ui/");
        assertThat(page).hasURL(node.baseUrl() + "/ui/login");
        logIn("admin", initial);

        assertThat(page.getByRole(
                        AriaRole.HEADING, new Page.GetByRoleOptions().setName("Choose a password of your own")))
                .isVisible();
        page.getByLabel("Current password").fill(initial);
        page.getByLabel("New password").fill("the admin's own password");
        page.getByLabel("Repeat it").fill("the admin's own password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change password"))
                .click();

        assertThat(page.getByText("Your password was changed.")).isVisible();
        assertThat(page.getByText("Choose a password of your own")).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(PROJECT)))
                .isVisible();
    }

    @Test
    void theProjectsPageAndAProjectsStatesWrittenByTheApi() {
        logIn("ops", PASSWORD);

        assertThat(page.locator("#projects")).containsText(PROJECT);
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName(PROJECT).setExact(true))
                .click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(PROJECT)))
                .isVisible();
        assertThat(page.locator("#states")).containsText("network");
        assertThat(page.locator("#states")).containsText("xss");
        page.getByLabel("Search").fill("netw");
        assertThat(page.locator("#states tbody tr")).hasCount(1); // htmx swapped the filtered table in
        assertThat(page).hasURL(node.baseUrl() + "/ui/projects/" + PROJECT + "?q=netw&sort=name");
    }

    @Test
    void aStateShowsItsResourcesAndVersions() {
        logIn("ops", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/network");

        assertThat(page.locator("#resource-list tbody tr")).hasCount(3);
        assertThat(page.locator("#resource-list")).containsText("aws_subnet.private");
        assertThat(page.locator("#version-list li")).hasCount(2);
        assertThat(page.locator("#version-list")).containsText("v2");
        assertThat(page.locator("#version-list")).containsText("v1");
        assertThat(page.locator("#outputs").locator("xpath=..")).containsText("sensitive");
        assertThat(page.locator("body")).not().containsText("do-not-show-this");

        page.getByLabel("Filter").fill("subnet.pub");
        assertThat(page.locator("#resource-list tbody tr")).hasCount(1);
        assertThat(page.locator("#resource-list")).containsText("aws_subnet.public");
    }

    @Test
    void aScriptInAResourceNameIsShownAsText() {
        List<String> dialogs = new CopyOnWriteArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        logIn("ops", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/xss");

        assertThat(page.getByText("terraform_data." + XSS)).isVisible();
        assertThat(page.locator("#resource-list script")).hasCount(0);
        assertThat(dialogs).as("no script ran").isEmpty();
    }

    @Test
    void aViewerSeesNoForceUnlockAndAForgedPostWithoutTheCsrfTokenIsRefused() {
        lock("viewed", "viewer-lock");
        logIn("viewer", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/viewed");

        assertThat(page.locator("#lock-panel")).containsText("locked");
        assertThat(page.locator("#lock-panel")).containsText("viewer-lock");
        assertThat(page.getByText("Force unlock")).hasCount(0);

        // the browser's own cookie, but no CSRF token: what a forged cross-site form would send at best
        APIResponse forged = page.context()
                .request()
                .post(
                        "/ui/projects/" + PROJECT + "/states/viewed/unlock",
                        RequestOptions.create()
                                .setHeader("Content-Type", "application/x-www-form-urlencoded")
                                .setData("lockId=viewer-lock")
                                .setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(node.admin()
                        .getJson("/api/v1/projects/" + PROJECT + "/states/viewed/lock")
                        .path("locked")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void anAdminForceUnlocksFromTheLockPanel() {
        lock("held", "killed-apply");
        logIn("ops", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/held");
        assertThat(page.locator("#lock-panel")).containsText("killed-apply");

        page.getByText("Force unlock…").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Release the lock held by"))
                .click();

        assertThat(page.getByText("The lock was released.")).isVisible();
        assertThat(page.locator("#lock-panel")).containsText("Nobody holds the lock.");
        assertThat(node.admin()
                        .getJson("/api/v1/projects/" + PROJECT + "/states/held/lock")
                        .path("locked")
                        .asBoolean())
                .isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void logIn(String user, String password) {
        ui.logIn(user, password);
    }

    private static void lock(String state, String id) {
        String info = "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}";
        var r = node.admin()
                .send("LOCK", "/tf/" + PROJECT + "/" + state + "/lock", info.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static void write(String state, String body) {
        node.write(PROJECT, state, body);
    }

    /** A state with the given (type, name) resources, a plain and a sensitive output. */
    private static String state(int serial, String... typesAndNames) {
        StringBuilder resources = new StringBuilder();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            if (i > 0) {
                resources.append(',');
            }
            resources
                    .append("{\"mode\":\"managed\",\"type\":\"")
                    .append(typesAndNames[i])
                    .append("\",\"name\":\"")
                    .append(typesAndNames[i + 1])
                    .append("\",\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\","
                            + "\"instances\":[{\"attributes\":{\"id\":\"")
                    .append(i)
                    .append("\"}}]}");
        }
        return "{\"version\":4,\"terraform_version\":\"1.9.0\",\"serial\":" + serial + ",\"lineage\":\"web-ui\","
                + "\"outputs\":{\"region\":{\"value\":\"eu-west-1\",\"type\":\"string\"},"
                + "\"password\":{\"value\":\"do-not-show-this\",\"type\":\"string\",\"sensitive\":true}},"
                + "\"resources\":[" + resources + "]}";
    }
}
