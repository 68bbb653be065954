package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** Steps every browser test takes: logging in through the login form. */
final class UiSteps {
    private UiSteps() {}

    /** Logs in through {@code /ui/login} (opened unless the page is on it already) and waits for the user's name. */
    static void logIn(Page page, String user, String password) {
        if (!page.url().contains("/ui/login")) {
            page.navigate("/ui/login");
        }
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"))
                .click();
        assertThat(page.getByText(user, new Page.GetByTextOptions().setExact(true))
                        .first())
                .isVisible();
    }
}
