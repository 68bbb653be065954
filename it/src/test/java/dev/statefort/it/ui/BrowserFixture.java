package dev.statefort.it.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.Requirement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browser tests' one fixture, a JUnit extension on a static field: a {@link RealServer} (which
 * now also needs Chromium) and one Chromium for the class; a fresh browser context and page per
 * test, closed after it, with a screenshot in {@code it/target/screenshots/} when the test named
 * one ({@link #screenshotAs}) or the fixture takes one of every test ({@link #screenshotEachTest}).
 * A test class's {@code Page} field (instance, not static) is set to that page before each test.
 */
final class BrowserFixture implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final Requirement CHROMIUM = new Requirement() {
        @Override
        public boolean isMet() {
            if (!Chromium.installed()) {
                System.out.println("[statefort-it] WARNING: " + Chromium.SKIP_REASON);
                return false;
            }
            return true;
        }

        @Override
        public void require() {
            Chromium.requireInstalled();
        }
    };

    private final RealServer node;
    private boolean screenshotEachTest;
    private Chromium chromium;
    private BrowserContext context;
    private Page page;
    private String screenshot;

    private BrowserFixture(RealServer node) {
        this.node = node.needing(CHROMIUM);
    }

    /** Chromium against {@code node}, which is started (and set up) before the browser. */
    static BrowserFixture on(RealServer node) {
        return new BrowserFixture(node);
    }

    /** Every test leaves {@code <test method>.png}. */
    BrowserFixture screenshotEachTest() {
        this.screenshotEachTest = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        node.beforeAll(context);
        if (node.isStarted()) {
            chromium = Chromium.launch();
        }
    }

    @Override
    public void beforeEach(ExtensionContext extension) {
        node.beforeEach(extension);
        context = newContext();
        page = context.newPage();
        injectPage(extension.getRequiredTestInstance());
        screenshot = screenshotEachTest ? extension.getRequiredTestMethod().getName() + ".png" : null;
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        if (context == null) {
            return;
        }
        try {
            if (screenshot != null) {
                Chromium.screenshot(page, screenshot);
            }
        } finally {
            context.close();
            context = null;
            page = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            chromium = null;
            node.afterAll(context);
        }
    }

    private void injectPage(Object test) {
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == Page.class && !Modifier.isStatic(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        field.set(test, page);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot set " + field, e);
                    }
                }
            }
        }
    }

    RealServer node() {
        return node;
    }

    /** This test's page, on the server's base URL. */
    Page page() {
        return page;
    }

    /** Another browser context (another user at the same time), closed by the caller. */
    BrowserContext newContext() {
        return chromium.newContext(node.baseUrl());
    }

    /** After this test, save its page as {@code target/screenshots/<fileName>}. */
    void screenshotAs(String fileName) {
        this.screenshot = fileName;
    }

    /** Logs in through the login form on this test's page. */
    void logIn(String user, String password) {
        UiSteps.logIn(page, user, password);
    }
}
