package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.TerraformCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6 point 4's main flow as one story in Chromium with the real {@code terraform} (offline:
 * {@code terraform_data} only): on a freshly started server the first-start admin logs in, creates a
 * project and a write token in the browser, terraform applies twice with that token (one changed input,
 * one added resource), then the project page, the state page, the v1/v2 diff and the restore of v1
 * (a new current v3) are all seen in the browser, and the first configuration plans with no changes.
 * Without terraform or Chromium it is skipped (or fails with {@code STATEFORT_REQUIRE_TERRAFORM=1} /
 * {@code STATEFORT_REQUIRE_BROWSER=1}). Screenshot: {@code it/target/screenshots/firstRun.png}.
 */
class WebUiFirstRunBrowserTest {
    private static final String SUITE = "web UI first run (real terraform + Chromium)";
    static final String PROJECT = "firstrun";
    static final String STATE = "app";
    static final String ADMIN_PASSWORD = "first run admin password 1";

    /** Two resources. */
    static final String C1 = """
            resource "terraform_data" "net" {
              input = { cidr = "10.0.0.0/16", name = "main" }
            }

            resource "terraform_data" "app" {
              input = { image = "app:1.0", replicas = 2 }
            }
            """;

    /** C1 with one changed input (app's image) and one added resource (cache). */
    static final String C2 = C1.replace("app:1.0", "app:2.0") + """

            resource "terraform_data" "cache" {
              input = "redis"
            }
            """;

    static final RealServer node = RealServer.started().needingTerraform(SUITE);

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    @Test
    void aFirstRunFromTheBrowserToTerraformToDiffAndRestore() throws Exception {
        ui.screenshotAs("firstRun.png");
        story(ui.page());
    }

    private void story(Page page) {
        // 1. the first-start admin logs in and chooses a password of its own
        String initial = read(node.server().dataDir().resolve("initial-admin-password"));
        page.navigate("/ui/");
        assertThat(page).hasURL(node.baseUrl() + "/ui/login");
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(initial);
        button(page, "Log in").click();
        assertThat(page.getByRole(
                        AriaRole.HEADING, new Page.GetByRoleOptions().setName("Choose a password of your own")))
                .isVisible();
        page.getByLabel("Current password").fill(initial);
        page.getByLabel("New password").fill(ADMIN_PASSWORD);
        page.getByLabel("Repeat it").fill(ADMIN_PASSWORD);
        button(page, "Change password").click();
        assertThat(page.getByText("Your password was changed.")).isVisible();

        // 2. creates a project with the "New project" form
        page.navigate("/ui/");
        page.locator("#project-form [name=name]").fill(PROJECT);
        button(page, "Create project").click();
        assertThat(page.getByText("The project was created.")).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Connect Terraform")))
                .isVisible();

        // 3. creates a write token for it on the Tokens page and reads it once
        page.locator("header .who")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Tokens"))
                .click();
        page.locator("#token-form [name=name]").fill("ci-firstrun");
        page.locator("#token-form [name=project]").selectOption(PROJECT);
        page.locator("#token-form [name=permission]").selectOption("write");
        page.locator("#token-form [name=expiresInDays]").fill("30");
        button(page, "Create token").click();
        assertThat(page.getByText("it will not be shown again")).isVisible();
        String token = page.locator("#new-secret").textContent().strip();
        assertThat(token).matches("sft_[a-z0-9]{12}_[0-9a-f]{64}");

        // 4. the real terraform applies C1, then C2, with that token
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve("tf"),
                Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", token));
        String address = node.baseUrl() + StatefortClient.statePath(PROJECT, STATE);
        tf.writeHttpBackend(address).initAndApplyEach(C1, C2);
        assertThat(versions()).as("one version per apply").hasSize(2);

        // 5. the project page shows the state; the state page its resources and two versions
        page.navigate("/ui/projects/" + PROJECT);
        assertThat(page.locator("#states")).containsText(STATE);
        page.locator("#states")
                .getByRole(
                        AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName(STATE).setExact(true))
                .click();
        assertThat(page).hasURL(node.baseUrl() + statePage());
        Locator resources = page.locator("#resource-list");
        assertThat(resources).containsText("terraform_data.net");
        assertThat(resources).containsText("terraform_data.app");
        assertThat(resources).containsText("terraform_data.cache");
        assertThat(page.locator("#version-list li")).hasCount(2);
        String tokenId = token.split("_")[1];
        assertThat(page.locator("#version-list li").nth(0)).containsText("token:" + tokenId);
        assertThat(page.locator("#version-list li").nth(1)).containsText("token:" + tokenId);

        // 6. compares v1 and v2: the changed resource and its changed attribute, the added one
        page.locator("#compare-form").getByLabel("From").selectOption("1");
        page.locator("#compare-form").getByLabel("To").selectOption("2");
        button(page, "Compare").click();
        assertThat(page).hasURL(node.baseUrl() + statePage() + "/diff?from=1&to=2");
        Locator diff = page.locator("#resource-diff");
        assertThat(diff).containsText("Changed: terraform_data.app");
        Locator image = diff.locator("tr")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator(
                                "th", new Page.LocatorOptions().setHasText(Pattern.compile("^input\\..*image$")))));
        assertThat(image.locator("td.before")).hasText("app:1.0");
        assertThat(image.locator("td.after")).hasText("app:2.0");
        assertThat(diff.locator("ul.diff.added")).containsText("terraform_data.cache");
        assertThat(diff).not().containsText("Changed: terraform_data.net");

        // 7. restores version 1 after the confirmation: a new current version 3
        page.navigate(statePage() + "/versions/1");
        page.getByText("Restore this version…").click();
        button(page, "Restore version 1").click();
        assertThat(page).hasURL(node.baseUrl() + statePage() + "?done=restored");
        assertThat(page.getByText("The version was restored")).isVisible();
        assertThat(page.locator("#version-list li")).hasCount(3);
        assertThat(page.locator("#version-list li.current")).containsText("v3");
        assertThat(page.locator("#resource-list")).not().containsText("terraform_data.cache");
        assertThat(versions().get(0).path("number").asLong()).isEqualTo(3);

        // 8. the first configuration plans with no changes against the restored state
        tf.writeFile("main.tf", C1);
        TerraformCli.Result plan = tf.run("plan", "-detailed-exitcode", "-no-color");
        assertThat(plan.exitCode())
                .as("C1 plans no changes against the restored state: %s", plan)
                .isZero();
        page.reload();
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }

    private static String statePage() {
        return "/ui/projects/" + PROJECT + "/states/" + STATE;
    }

    private static JsonNode versions() {
        return node.admin().versions(PROJECT, STATE).path("items");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
