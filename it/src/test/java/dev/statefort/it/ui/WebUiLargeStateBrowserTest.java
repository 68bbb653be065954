package dev.statefort.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state of 10,000 resources in Chromium: the page shows 100 of them, the filter (server-side, htmx)
 * narrows them and starts again at page 1, and the next/previous links swap in the neighbouring page.
 * Ends with a screenshot in {@code it/target/screenshots/largeState.png}.
 */
class WebUiLargeStateBrowserTest {
    static final String PROJECT = "large";
    static final String PASSWORD = "large state password 1";
    static final int COUNT = 10_000;

    @TempDir
    static Path dir;

    static Chromium chromium;
    static StatefortProcess server;
    static StatefortClient api;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void startServerAndBrowser() {
        if (!Chromium.installed()) {
            System.out.println("[statefort-it] WARNING: " + Chromium.SKIP_REASON);
            return;
        }
        server = StatefortProcess.start(dir.resolve("server"), "WebUiLargeStateBrowserTest");
        api = server.adminClient();
        json("POST", "/api/v1/projects", "{\"name\":\"" + PROJECT + "\"}", 201);
        json("POST", "/api/v1/users", "{\"name\":\"ops\",\"password\":\"" + PASSWORD + "\",\"globalAdmin\":true}", 201);
        var r = api.write("/tf/" + PROJECT + "/big", largeState(COUNT), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        UiSteps.stop(chromium, server);
    }

    @BeforeEach
    void openPage() {
        Chromium.require(chromium);
        context = chromium.newContext(server.baseUrl());
        page = context.newPage();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aStateOfTenThousandResourcesIsPagedAndFiltered() throws Exception {
        logIn("ops", PASSWORD);
        String href = "/ui/projects/" + PROJECT + "/states/big";
        page.navigate(href);

        var rows = page.locator("#resource-list tbody tr");
        var count = page.locator("#resource-count");
        assertThat(rows).hasCount(100);
        assertThat(count).hasText("Showing 1–100 of 10,000");
        assertThat(rows.first()).containsText("terraform_data.r00000");

        next();
        assertThat(count).hasText("Showing 101–200 of 10,000");
        assertThat(rows).hasCount(100);
        assertThat(rows.first()).containsText("terraform_data.r00100");
        assertThat(page).hasURL(server.baseUrl() + href + "?page=2");

        // the filter starts again at page 1 and is applied before paging: 37 of the 10,000 are aws_instance
        page.getByLabel("Filter").fill("aws_instance");
        assertThat(count).hasText("Showing 1–37 of 37 (filtered from 10,000)");
        assertThat(rows).hasCount(37);
        assertThat(page.locator("#resource-list nav.pager")).hasCount(0);
        assertThat(page).hasURL(Pattern.compile(".*\\?filter=aws_instance$"));

        // a filter matching more than a page: the links keep it
        page.getByLabel("Filter").fill("data.r00");
        assertThat(count).hasText("Showing 1–100 of 996 (filtered from 10,000)");
        next();
        assertThat(count).hasText("Showing 101–200 of 996 (filtered from 10,000)");
        assertThat(rows.first()).containsText("terraform_data.r00101"); // r00005 is an aws_instance
        assertThat(page).hasURL(Pattern.compile(".*\\?filter=data\\.r00&page=2$"));
        assertThat(page.locator("#resource-list")).containsText("Page 2 of 10");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Previous"))
                .click();
        assertThat(count).hasText("Showing 1–100 of 996 (filtered from 10,000)");
        assertThat(page.getByLabel("Filter")).hasValue("data.r00");

        next();
        assertThat(count).hasText("Showing 101–200 of 996 (filtered from 10,000)");
        // issue 10 point 9: htmx keeps no copy of pushed pages (addresses, outputs, the _csrf value) in
        // localStorage, where it would outlive the logout
        Object cached = page.evaluate("() => JSON.stringify(Object.keys(window.localStorage))");
        org.assertj.core.api.Assertions.assertThat(String.valueOf(cached)).isEqualTo("[]");
        Chromium.screenshot(page, "largeState.png");
    }

    private void next() {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next →"))
                .click();
    }

    private void logIn(String user, String password) {
        UiSteps.logIn(page, user, password);
    }

    private static void json(String method, String path, String body, int expected) {
        var r = api.send(method, path, body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(r.status()).as(r.text()).isEqualTo(expected);
    }

    /** {@code terraform_data.r00000}..., every 271st (from the sixth) an {@code aws_instance} instead: 37 of them. */
    static String largeState(int count) {
        StringBuilder s = new StringBuilder(count * 200);
        s.append("{\"version\":4,\"serial\":1,\"lineage\":\"large\",\"terraform_version\":\"1.9.0\",\"outputs\":{},")
                .append("\"resources\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(',');
            }
            boolean aws = i % 271 == 5;
            s.append("{\"mode\":\"managed\",\"type\":\"")
                    .append(aws ? "aws_instance" : "terraform_data")
                    .append("\",\"name\":\"")
                    .append(String.format("r%05d", i))
                    .append("\",\"provider\":\"")
                    .append(
                            aws
                                    ? "provider[\\\"registry.terraform.io/hashicorp/aws\\\"]"
                                    : "provider[\\\"terraform.io/builtin/terraform\\\"]")
                    .append("\",\"instances\":[{\"attributes\":{\"id\":\"")
                    .append(i)
                    .append("\"}}]}");
        }
        return s.append("]}").toString();
    }
}
