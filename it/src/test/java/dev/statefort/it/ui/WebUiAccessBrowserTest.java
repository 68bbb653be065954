package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.statefort.it.support.RealServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI's access pages in Chromium against the runnable jar: a global admin creates a project
 * and a token in the browser and the displayed token writes a state over plain HTTP; aliases, members,
 * the audit log and the project settings. Each test leaves {@code it/target/screenshots/<page>.png}.
 */
class WebUiAccessBrowserTest {
    static final String PROJECT = "team";
    static final String PASSWORD = "access browser password 1";
    static final String STATE = "{\"version\":4,\"serial\":1,\"lineage\":\"ui-token\",\"resources\":[]}";

    static final RealServer node = RealServer.started().setUp(WebUiAccessBrowserTest::setUp);

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    /** This test's page (set by the fixture). */
    Page page;

    static void setUp(RealServer n) {
        n.json("POST", "/api/v1/projects", "{\"name\":\"" + PROJECT + "\"}", 201);
        n.createUser("ops", PASSWORD, true);
        n.createUser("vera", PASSWORD, false);
        n.write(PROJECT, "network", STATE);
    }

    // ---- the tests -----------------------------------------------------------------------------------------------

    @Test
    void anAdminCreatesAProjectAndATokenInTheBrowserAndTheTokenWritesAState() throws Exception {
        ui.screenshotAs("tokens.png");
        logIn("ops");
        page.locator("#project-form [name=name]").fill("fromui");
        button("Create project").click();
        assertThat(page.getByText("The project was created.")).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Connect Terraform")))
                .isVisible();

        page.locator("header .who")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Tokens"))
                .click();
        page.locator("#token-form [name=name]").fill("ci-fromui");
        page.locator("#token-form [name=project]").selectOption("fromui");
        page.locator("#token-form [name=permission]").selectOption("write");
        page.locator("#token-form [name=expiresInDays]").fill("30");
        button("Create token").click();

        assertThat(page.getByText("it will not be shown again")).isVisible();
        String token = page.locator("#new-secret").textContent().strip();
        assertThat(token).matches("sft_[a-z0-9]{12}_[0-9a-f]{64}");

        // what curl would do with the token copied from the page
        HttpResponse<String> written = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(node.baseUrl() + "/tf/fromui/network"))
                                .header("Authorization", basic(token))
                                .POST(HttpRequest.BodyPublishers.ofString(STATE))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to the tokens"))
                .click();
        Locator row = page.locator("#tokens tbody tr").filter(new Locator.FilterOptions().setHasText("ci-fromui"));
        assertThat(row).containsText("project fromui");
        assertThat(row).containsText("active");
        assertThat(page.locator("body")).not().containsText(token);
        page.navigate("/ui/projects/fromui");
        assertThat(page.locator("#states")).containsText("network");
        page.navigate("/ui/tokens");
    }

    @Test
    void anAdminCreatesRotatesAndRevokesAnAlias() {
        ui.screenshotAs("aliases.png");
        logIn("ops");
        page.navigate("/ui/projects/" + PROJECT + "/aliases");
        page.locator("#alias-form [name=state]").fill("network");
        page.locator("#alias-form [name=permission]").selectOption("read");
        button("Create alias").click();
        assertThat(page.getByText("it will not be shown again")).isVisible();
        assertThat(page.locator("#backend-block")).containsText("/tf/alias/");
        String first = page.locator("#new-secret").textContent().strip();

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to the aliases"))
                .click();
        page.getByText("Rotate…").first().click();
        button("Rotate the password of").first().click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Alias rotated")))
                .isVisible();
        assertThat(page.locator("#new-secret")).not().hasText(first);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to the aliases"))
                .click();
        assertThat(page.locator("#aliases tbody tr")).hasCount(1);
        page.getByText("Revoke…").first().click();
        button("Revoke alias").first().click();
        assertThat(page.getByText("The alias was revoked")).isVisible();
        assertThat(page.locator("#aliases tbody tr").first()).containsText("revoked");
    }

    @Test
    void anAdminAddsAViewerWhoThenSeesNoAdminActions() {
        ui.screenshotAs("members.png");
        logIn("ops");
        page.navigate("/ui/projects/" + PROJECT + "/members");
        page.locator("#member-form [name=user]").fill("vera");
        page.locator("#member-form [name=role]").selectOption("viewer");
        button("Add or change").click();
        assertThat(page.getByText("The member's role was saved.")).isVisible();
        Locator vera = page.locator("#members tbody tr").filter(new Locator.FilterOptions().setHasText("vera"));
        assertThat(vera.locator("select[name=role]")).hasValue("viewer");

        try (BrowserContext other = ui.newContext()) {
            Page viewer = other.newPage();
            logIn(viewer, "vera");
            viewer.navigate("/ui/projects/" + PROJECT);
            assertThat(viewer.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")))
                    .isVisible();
            assertThat(viewer.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Members")))
                    .hasCount(0);
            viewer.navigate("/ui/projects/" + PROJECT + "/states/network");
            assertThat(viewer.getByText("Create a token for this state")).hasCount(0);
            viewer.navigate("/ui/projects/" + PROJECT + "/settings");
            assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings")))
                    .hasCount(0);
        }
        page.reload();
    }

    @Test
    void theAuditLogShowsTheUisActionsAndFilters() {
        ui.screenshotAs("audit.png");
        node.json("PUT", "/api/v1/projects/" + PROJECT + "/members/vera", "{\"role\":\"viewer\"}", 200);
        logIn("ops");
        page.navigate("/ui/projects/" + PROJECT);
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Audit log").setExact(true))
                .last()
                .click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/audit\\?project=" + PROJECT + "$"));
        assertThat(page.locator("#audit")).containsText("member.put");

        page.locator("#audit-filters [name=action]").fill("member.put");
        button("Filter").click();
        assertThat(page).hasURL(Pattern.compile(".*action=member\\.put.*"));
        Locator rows = page.locator("#audit tbody tr");
        assertThat(rows.first()).containsText("member.put");
        assertThat(page.locator("#audit")).not().containsText("project.create");
        assertThat(page.locator("#audit")).containsText("127.0.0.1");
    }

    @Test
    void anAdminChangesTheGuardModeInTheSettings() {
        ui.screenshotAs("settings.png");
        logIn("ops");
        page.navigate("/ui/projects/" + PROJECT + "/settings");
        assertThat(page.getByText("Risk:")).isVisible();
        page.locator("#settings-form [name=guard]").selectOption("enforce");
        button("Save settings").click();

        assertThat(page.getByText("The settings were saved.")).isVisible();
        assertThat(page.locator("#settings-form [name=guard]")).hasValue("enforce");
        assertThat(node.admin()
                        .getJson("/api/v1/projects/" + PROJECT + "/settings")
                        .path("guard")
                        .asText())
                .isEqualTo("enforce");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }

    private void logIn(String user) {
        logIn(page, user);
    }

    private static void logIn(Page p, String user) {
        UiSteps.logIn(p, user, PASSWORD);
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("terraform:" + token).getBytes(StandardCharsets.UTF_8));
    }
}
