package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.TerraformCli;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI's history pages in Chromium against the runnable jar, with states written by the real
 * {@code terraform} binary (offline: {@code terraform_data} only): two applies with a change, then the
 * version page, the diff, restore with confirmation and the apply sessions. Without terraform or
 * Chromium the tests are skipped (or fail with {@code STATEFORT_REQUIRE_TERRAFORM=1} / {@code
 * STATEFORT_REQUIRE_BROWSER=1}). Screenshots: {@code it/target/screenshots/{versionPage,diffView,
 * restoreDone,sessions}.png}.
 */
class WebUiHistoryBrowserTest {
    private static final String SUITE = "web UI history (real terraform + Chromium)";
    static final String PROJECT = "history";
    static final String PASSWORD = "browser history password 1";
    static final String SECRET = "s3cr3t-do-not-show";

    /** Three resources, one of them holding a sensitive value. */
    static final String C1 = """
            resource "terraform_data" "net" {
              input = { cidr = "10.0.0.0/16", name = "main" }
            }

            resource "terraform_data" "app" {
              input = { image = "app:1.0", replicas = 2 }
            }

            resource "terraform_data" "db" {
              input = "small"
            }

            resource "terraform_data" "secret" {
              input = sensitive("%s-1")
            }

            output "image" {
              value = terraform_data.app.output.image
            }
            """.formatted(SECRET);

    /** C1 with app's image changed, the secret changed, db removed and cache added. */
    static final String C2 = C1.replace("app:1.0", "app:2.0")
            .replace("replicas = 2", "replicas = 3")
            .replace(SECRET + "-1", SECRET + "-2")
            .replace(
                    "terraform_data\" \"db\" {\n  input = \"small\"",
                    "terraform_data\" \"cache\" {\n  input = \"redis\"");

    static String writeToken;

    static final RealServer node = RealServer.started().needingTerraform(SUITE).setUp(n -> {
        n.createProject(PROJECT);
        writeToken = n.createToken(PROJECT, "write", "terraform-ui-history");
        n.createUser("ops", PASSWORD, true);
        n.createUser("viewer", PASSWORD, false);
        n.addMember(PROJECT, "viewer", "viewer");
        applyTwice("app");
    });

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    /** This test's page (set by the fixture). */
    Page page;

    // ---- the tests -----------------------------------------------------------------------------------------------

    @Test
    void theTimelineLinksToAVersionPageWithMetadataMaskedJsonAndADownload() {
        ui.screenshotAs("versionPage" + ".png");
        JsonNode v2 = versions("app").get(0);
        logIn(page, "ops");
        page.navigate(statePage("app"));
        assertThat(page.locator("#version-list li")).hasCount(2);

        page.locator("#version-list")
                .getByRole(
                        AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName("v2").setExact(true))
                .click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Version 2 of app")))
                .isVisible();
        assertThat(page.locator("#version-metadata"))
                .containsText(v2.path("sha256").asText());
        assertThat(page.locator("#version-metadata"))
                .containsText(v2.path("lockId").asText());
        assertThat(page.locator("#version-metadata")).containsText("Apply");
        assertThat(page.locator("#version-json")).containsText("\"image\" : \"app:2.0\"");
        assertThat(page.locator("#version-json")).containsText("(sensitive)");
        assertThat(page.locator("body")).not().containsText(SECRET);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare with previous")))
                .hasAttribute("href", statePage("app") + "/diff?from=1&to=2");

        String download = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Download the content"))
                .getAttribute("href");
        APIResponse content = page.context().request().get(download); // the session cookie is enough
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.text()).contains("\"serial\": " + v2.path("serial").asLong());
    }

    @Test
    void theCompareFormShowsTheChangedResourceAndItsChangedAttributes() {
        ui.screenshotAs("diffView" + ".png");
        logIn(page, "ops");
        page.navigate(statePage("app"));

        page.locator("#compare-form").getByLabel("From").selectOption("1");
        page.locator("#compare-form").getByLabel("To").selectOption("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare"))
                .click();

        assertThat(page).hasURL(node.baseUrl() + statePage("app") + "/diff?from=1&to=2");
        var diff = page.locator("#resource-diff");
        assertThat(diff).containsText("Changed: terraform_data.app");
        var image = attributeRow(diff, "^input\\..*image$");
        assertThat(image.locator("td.before")).hasText("app:1.0");
        assertThat(image.locator("td.after")).hasText("app:2.0");
        assertThat(attributeRow(diff, "^input\\..*replicas$").locator("td.after"))
                .hasText("3");
        assertThat(diff.locator("ul.diff.added")).containsText("terraform_data.cache");
        assertThat(diff.locator("ul.diff.removed")).containsText("terraform_data.db");
        assertThat(diff).containsText("Changed: terraform_data.secret");
        assertThat(diff.locator("h3:has-text('terraform_data.secret') + .table-wrap .badge.sensitive")
                        .first())
                .isVisible();
        assertThat(page.locator("#output-diff")).containsText("image");
        assertThat(page.locator("body")).not().containsText(SECRET);
    }

    @Test
    void anAdminRestoresVersionOneAfterConfirmingAndSeesANewCurrentVersion() {
        ui.screenshotAs("restoreDone" + ".png");
        TerraformCli tf = applyTwice("restored");
        logIn(page, "ops");
        page.navigate(statePage("restored") + "/versions/1");

        page.getByText("Restore this version…").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore version 1"))
                .click();

        assertThat(page).hasURL(node.baseUrl() + statePage("restored") + "?done=restored");
        assertThat(page.getByText("The version was restored")).isVisible();
        assertThat(page.locator("#version-list li")).hasCount(3);
        assertThat(page.locator("#version-list li.current")).containsText("v3");
        assertThat(page.locator("#resource-list")).containsText("terraform_data.db");
        assertThat(page.locator("#resource-list")).not().containsText("terraform_data.cache");
        JsonNode current = versions("restored").get(0);
        assertThat(current.path("number").asLong()).isEqualTo(3);
        tf.writeFile("main.tf", C1);
        TerraformCli.Result plan = tf.run("plan", "-detailed-exitcode", "-no-color");
        assertThat(plan.exitCode())
                .as("C1 plans no changes against the restored state: %s", plan)
                .isZero();
    }

    @Test
    void theStatePageListsTheApplySessionsWithRevertForAdminsOnly() {
        ui.screenshotAs("sessions" + ".png");
        JsonNode versions = versions("app");
        String lastLock = versions.get(0).path("lockId").asText();
        String firstLock = versions.get(1).path("lockId").asText();

        try (BrowserContext viewerContext = ui.newContext()) {
            Page viewer = viewerContext.newPage();
            logIn(viewer, "viewer");
            viewer.navigate(statePage("app"));
            assertThat(viewer.locator("#session-list tbody tr")).hasCount(2);
            assertThat(viewer.getByText("Revert…")).hasCount(0);
            APIResponse forged = viewerContext
                    .request()
                    .post(
                            statePage("app") + "/sessions/" + lastLock + "/revert",
                            RequestOptions.create()
                                    .setHeader("Content-Type", "application/x-www-form-urlencoded")
                                    .setData("")
                                    .setMaxRedirects(0));
            assertThat(forged.status()).isEqualTo(403);
        }

        logIn(page, "ops");
        page.navigate(statePage("app"));
        var sessions = page.locator("#session-list tbody tr");
        assertThat(sessions).hasCount(2);
        assertThat(sessions.nth(0)).containsText(lastLock);
        assertThat(sessions.nth(0)).containsText("Apply");
        assertThat(sessions.nth(0)).containsText("v2");
        assertThat(sessions.nth(1)).containsText(firstLock);
        assertThat(sessions.nth(1)).containsText("v1");
        assertThat(sessions.nth(0).getByText("Revert…")).hasCount(1);
        assertThat(sessions.nth(1)).containsText("nothing before it"); // v1 is the oldest version
        assertThat(sessions.nth(1).getByText("Revert…")).hasCount(0);
        sessions.nth(0).getByText("Revert…").click();
        assertThat(sessions.nth(0).getByRole(AriaRole.BUTTON)).isVisible();
        assertThat(versions("app")).as("nothing reverted without the click").hasSize(2);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** Applies C1, then C2, with the real terraform into a fresh state; returns the working directory. */
    static TerraformCli applyTwice(String state) {
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve("tf-" + state),
                Map.of("TF_HTTP_USERNAME", "terraform-it", "TF_HTTP_PASSWORD", writeToken));
        String address = node.baseUrl() + StatefortClient.statePath(PROJECT, state);
        tf.writeHttpBackend(address).initAndApplyEach(C1, C2);
        assertThat(versions(state)).as("one version per apply").hasSize(2);
        return tf;
    }

    /** The row of a diff table whose attribute path matches {@code regex}. */
    private Locator attributeRow(Locator diff, String regex) {
        return diff.locator("tr")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator("th", new Page.LocatorOptions().setHasText(Pattern.compile(regex)))));
    }

    private static void logIn(Page on, String user) {
        UiSteps.logIn(on, user, PASSWORD);
    }

    private static String statePage(String state) {
        return "/ui/projects/" + PROJECT + "/states/" + state;
    }

    private static JsonNode versions(String state) {
        return node.admin().versions(PROJECT, state).path("items");
    }
}
