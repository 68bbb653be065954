package dev.statefort.it.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright for Java; Playwright never downloads a browser here. A
 * missing {@code /usr/bin/chromium} skips the browser tests with a visible message, or fails them
 * with {@code STATEFORT_REQUIRE_BROWSER=1} (what {@code .ci/run} sets).
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    static final String MISSING = EXECUTABLE + " is not installed";
    static final String SKIP_REASON = MISSING + ": the web UI browser tests are SKIPPED"
            + " (apt-get install chromium, or set STATEFORT_REQUIRE_BROWSER=1 to make this a failure)";
    private static final List<String> ARGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static boolean installed() {
        return Files.isExecutable(EXECUTABLE);
    }

    static Chromium launch() {
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(EXECUTABLE)
                            .setHeadless(true)
                            .setArgs(ARGS));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** Per test: skip (or fail, when required) without a browser installed. */
    static void requireInstalled() {
        if (installed()) {
            return;
        }
        if ("1".equals(System.getenv("STATEFORT_REQUIRE_BROWSER"))) {
            Assertions.fail("STATEFORT_REQUIRE_BROWSER=1 but " + MISSING);
        }
        Assumptions.abort(SKIP_REASON);
    }

    Browser browser() {
        return browser;
    }

    /** Where the browser tests leave their screenshots: {@code it/target/screenshots/}. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** A fresh context on {@code baseUrl} at a laptop's viewport (1366×860); assertions wait up to 15 s. */
    BrowserContext newContext(String baseUrl) {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        return browser.newContext(
                new Browser.NewContextOptions().setBaseURL(baseUrl).setViewportSize(1366, 860));
    }

    /** Saves a full-page screenshot of {@code page} as {@code target/screenshots/<fileName>}. */
    static void screenshot(Page page, String fileName) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(fileName))
                .setFullPage(true));
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
