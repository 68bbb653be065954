package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.statefort.it.support.RealServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 31 in Chromium: the project page and the state page follow the live event stream (htmx's SSE
 * extension): a lock taken through the Terraform backend, a write and the release appear in the lock
 * badge and the last-write line without a reload. Without Chromium the tests are skipped (or fail with
 * the variable {@code .ci/run} sets).
 */
class WebUiLiveEventsBrowserTest {
    static final String PROJECT = "live";
    static final String PASSWORD = "browser live password 1";
    private static final String STATE =
            "{\"version\":4,\"serial\":%d,\"lineage\":\"live-1\",\"outputs\":{},\"resources\":[]}";

    static final RealServer node = RealServer.started().setUp(n -> {
        n.createProject(PROJECT);
        n.createUser("watcher", PASSWORD, true);
    });

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    Page page;

    private static void backend(String method, String state, String body) {
        var response = node.admin().send(method, "/tf/" + PROJECT + "/" + state, body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status())
                .as("%s %s: %s", method, state, response.text())
                .isEqualTo(200);
    }

    private static String lock(String id) {
        return "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\"}";
    }

    @Test
    void theProjectPagesLockBadgeFollowsTheBackendWithoutAReload() {
        backend("POST", "board", String.format(STATE, 1));
        ui.logIn("watcher", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT);
        Locator row = page.locator("#states tr:has(th a:text-is('board'))");
        assertThat(row.locator(".badge.free")).isVisible();
        page.evaluate("window.__notReloaded = true");
        page.waitForFunction("() => document.querySelector('[sse-connect]') !== null");

        backend("LOCK", "board", lock("live-apply"));
        assertThat(row.locator(".badge.locked")).isVisible();
        backend("UNLOCK", "board", lock("live-apply"));
        assertThat(row.locator(".badge.free")).isVisible();
        assertThat(page.evaluate("window.__notReloaded === true")).isEqualTo(true);
    }

    @Test
    void theStatePageShowsTheLockAndTheNewVersionWithoutAReload() {
        backend("POST", "detail", String.format(STATE, 1));
        ui.logIn("watcher", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/detail");
        Locator panel = page.locator("#lock-panel");
        assertThat(panel).containsText("Nobody holds the lock.");
        page.evaluate("window.__notReloaded = true");

        backend("LOCK", "detail", lock("state-apply"));
        assertThat(panel).containsText("state-apply");
        backend("POST", "detail?ID=state-apply", String.format(STATE, 2));
        assertThat(page.locator("dt:has-text('Version') + dd").first()).hasText("2");
        backend("UNLOCK", "detail", lock("state-apply"));
        assertThat(panel).containsText("Nobody holds the lock.");
        assertThat(page.evaluate("window.__notReloaded === true")).isEqualTo(true);
    }
}
