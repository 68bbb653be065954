package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.statefort.core.testing.StateBodies;
import dev.statefort.it.support.RealServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 point 1 in Chromium: "Upload a state file" on the project page makes a new state, and on a
 * state page the check shows the destructive-write guard's warning (htmx, the chosen file kept in the
 * form) before the upload is confirmed; under {@code enforce} the confirmed upload is quarantined.
 */
class WebUiUploadBrowserTest {
    static final String PROJECT = "uploads";
    static final String PASSWORD = "browser upload password 1";

    static final RealServer node = RealServer.started().setUp(n -> {
        n.createProject(PROJECT);
        n.createUser("ops", PASSWORD, true);
        n.json("PUT", "/api/v1/projects/" + PROJECT + "/settings", "{\"guard\":\"enforce\"}");
        n.write(PROJECT, "guarded", state(10, 3));
    });

    @RegisterExtension
    static final BrowserFixture ui = BrowserFixture.on(node);

    Page page;

    @Test
    void aNewStateIsUploadedFromTheProjectPageAfterTheCheck() throws IOException {
        UiSteps.logIn(page, "ops", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT);
        page.getByLabel("State name").fill("fresh");
        page.getByLabel("State file", new Page.GetByLabelOptions().setExact(true))
                .setInputFiles(file("fresh.tfstate", state(4, 2)));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check the file"))
                .click();
        assertThat(page.locator("#upload-check")).containsText("a new state");
        assertThat(page.locator("#upload-check")).containsText("nothing to warn about");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload it"))
                .click();
        assertThat(page).hasURL(Pattern.compile(".*/states/fresh\\?done=uploaded$"));
        assertThat(page.locator("body")).containsText("The file was uploaded");
        assertThat(node.admin().versions(PROJECT, "fresh").path("items")).hasSize(1);
    }

    @Test
    void theGuardsWarningIsShownBeforeConfirmingAndEnforceQuarantinesTheUpload() throws IOException {
        UiSteps.logIn(page, "ops", PASSWORD);
        page.navigate("/ui/projects/" + PROJECT + "/states/guarded");
        page.getByLabel("State file", new Page.GetByLabelOptions().setExact(true))
                .setInputFiles(file("empty.tfstate", state(11, 0)));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check the file"))
                .click();
        assertThat(page.locator("#upload-check [role=alert]")).containsText("removes every resource");
        assertThat(page.locator("#upload-check")).containsText("quarantined write");
        assertThat(node.admin().versions(PROJECT, "guarded").path("items"))
                .as("the check wrote nothing")
                .hasSize(1);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload it"))
                .click();
        assertThat(page.locator("body")).containsText("quarantined write 1");
        assertThat(node.admin().versions(PROJECT, "guarded").path("items")).hasSize(1);
    }

    private static Path file(String name, String content) throws IOException {
        Path file = node.dir().resolve("uploads").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    static String state(long serial, int count) {
        return StateBodies.withResources("browser-upload", serial, count);
    }
}
