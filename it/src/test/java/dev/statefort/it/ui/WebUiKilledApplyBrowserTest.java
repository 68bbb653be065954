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
import dev.statefort.it.support.TerraformCli.Background;
import dev.statefort.it.support.TerraformConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6 point 4 in Chromium with the real {@code terraform}: an apply SIGKILLed (with its provisioner's
 * {@code sleep}) while it holds the lock leaves that lock behind; the state page's lock panel shows the killed
 * run's lock ID, operation and who, and once the project's stale threshold (1 minute here) has passed without
 * activity, the stale badge. A viewer sees all that but no force-unlock; an admin releases it with the
 * confirmation, the REST view and the audit log agree, and the next {@code terraform apply} succeeds. Without
 * terraform or Chromium the tests are skipped (or fail with {@code STATEFORT_REQUIRE_TERRAFORM=1}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiKilledApplyBrowserTest {
    private static final String SUITE = "web UI killed apply (real terraform + Chromium)";
    static final String PROJECT = "killed";
    static final String STATE = "app";
    static final String PASSWORD = "browser test password 1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The stale threshold is 1 minute (the least allowed); bounded well above it. */
    private static final Duration STALE_WAIT = Duration.ofSeconds(150);

    static final String MAIN_TF = TerraformConfigs.EXAMPLE;

    static TerraformCli tf;
    /** The lock ID the killed apply left behind (set by {@link #killedApplysLock()}). */
    static String killedLockId;

    static final RealServer node = RealServer.started().needingTerraform(SUITE).setUp(n -> {
        n.createProject(PROJECT);
        String token = n.createToken(PROJECT, "write", "terraform-ui-killed");
        n.createUser("ops", PASSWORD, true);
        n.createUser("viewer", PASSWORD, false);
        n.addMember(PROJECT, "viewer", "viewer");
        n.json("PATCH", "/api/v1/projects/" + PROJECT + "/settings", "{\"lockStaleMinutes\":1}");
        tf = new TerraformCli(
                n.terraform(),
                n.dir().resolve("tf"),
                Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", token));
        tf.writeHttpBackend(n.baseUrl() + StatefortClient.statePath(PROJECT, STATE));
        tf.writeFile("main.tf", MAIN_TF);
    });

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    /** This test's page (set by the fixture). */
    Page page;

    // ---- the tests -----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aViewerSeesTheKilledApplysLockButNoForceUnlock() throws Exception {
        JsonNode holder = killedApplysLock();
        logIn("viewer");
        page.navigate(statePage());

        Locator panel = page.locator("#lock-panel");
        assertThat(panel).containsText("locked");
        assertThat(panel).containsText(holder.path("id").asText());
        assertThat(panel).containsText(holder.path("who").asText());
        assertThat(panel.locator(".badge.stale")).isVisible();
        assertThat(page.getByText("Force unlock")).hasCount(0);
        assertThat(page.locator("form[action$='/unlock']")).hasCount(0);
    }

    @Test
    @Order(2)
    void anAdminForceUnlocksTheKilledApplysLockAndTheNextApplySucceeds() throws Exception {
        JsonNode holder = killedApplysLock();
        logIn("ops");
        page.navigate(statePage());

        Locator panel = page.locator("#lock-panel");
        assertThat(panel).containsText("locked");
        assertThat(panel.locator("code")).hasText(killedLockId);
        assertThat(panel.locator("dt:has-text('Operation') + dd")).hasText("Apply");
        assertThat(panel.locator("dt:has-text('Held by') + dd"))
                .containsText(holder.path("principal").asText());
        assertThat(panel.locator("dt:has-text('Held by') + dd"))
                .containsText(holder.path("who").asText());
        assertThat(panel.locator(".badge.stale")).isVisible();
        assertThat(panel.locator("dt:has-text('Since') + dd time"))
                .hasAttribute("datetime", holder.path("acquiredAt").asText());
        assertThat(panel.locator("dt:has-text('Since') + dd time")).containsText("ago");
        assertThat(panel.locator("dt:has-text('Last activity') + dd time")).containsText("ago");
        screenshot("killedApplyLock.png");

        page.getByText("Force unlock…").click();
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions()
                                .setName("Release the lock held by "
                                        + holder.path("principal").asText()))
                .click();

        assertThat(page.getByText("The lock was released.")).isVisible();
        assertThat(panel).containsText("Nobody holds the lock.");
        assertThat(panel).not().containsText(killedLockId);
        screenshot("killedApplyUnlocked.png");

        assertThat(lockView().path("locked").asBoolean()).isFalse();
        JsonNode events = node.admin()
                .getJson("/api/v1/audit?project=" + PROJECT + "&state=" + STATE + "&action=lock.force-unlock")
                .path("items");
        assertThat(events).as("audit: %s", events).singleElement().satisfies(e -> {
            assertThat(e.path("principal").asText()).isEqualTo("user:ops");
            assertThat(e.path("detail").path("lockId").asText()).isEqualTo(killedLockId);
        });

        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=three").requireSuccess();
        assertThat(lockView().path("locked").asBoolean()).isFalse();
        JsonNode versions = node.admin().versions(PROJECT, STATE).path("items");
        assertThat(versions)
                .as("the first apply's and the one after the force-unlock")
                .hasSize(2);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /**
     * Once per class: apply, then start a second apply whose provisioner sleeps while it holds the lock, SIGKILL it
     * and its children, and wait (bounded) until the left-behind lock is reported stale. Returns the REST holder.
     */
    static synchronized JsonNode killedApplysLock() throws InterruptedException {
        if (killedLockId == null) {
            tf.run("init", "-no-color").requireSuccess();
            tf.run("apply", "-auto-approve", "-no-color", "-var", "input=one").requireSuccess();
            try (Background apply =
                    tf.start("apply", "-auto-approve", "-no-color", "-var", "input=two", "-var", "sleep_seconds=300")) {
                apply.awaitOutput("Provisioning with 'local-exec'", WAIT);
                JsonNode view = lockView();
                assertThat(view.path("locked").asBoolean())
                        .as("the running apply holds the lock: %s", view)
                        .isTrue();
                killedLockId = view.path("holder").path("id").asText();
                apply.kill9();
                assertThat(apply.isAlive()).isFalse();
            }
            assertThat(killedLockId).isNotBlank();
        }
        Instant deadline = Instant.now().plus(STALE_WAIT);
        JsonNode view = lockView();
        while (!view.path("holder").path("stale").asBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            view = lockView();
        }
        assertThat(view.path("locked").asBoolean())
                .as("the killed apply's lock is still held: %s", view)
                .isTrue();
        JsonNode holder = view.path("holder");
        assertThat(holder.path("id").asText()).isEqualTo(killedLockId);
        assertThat(holder.path("operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(holder.path("who").asText()).isNotBlank();
        assertThat(holder.path("stale").asBoolean())
                .as("stale within %s: %s", STALE_WAIT, view)
                .isTrue();
        return holder;
    }

    private static JsonNode lockView() {
        return node.admin().getJson("/api/v1/projects/" + PROJECT + "/states/" + STATE + "/lock");
    }

    private static String statePage() {
        return "/ui/projects/" + PROJECT + "/states/" + STATE;
    }

    private void screenshot(String name) throws Exception {
        Chromium.screenshot(page, name);
    }

    private void logIn(String user) {
        ui.logIn(user, PASSWORD);
    }
}
