package dev.statefort.it.support;

/**
 * Something a test class needs from the machine (the real {@code terraform}, Chromium): checked once
 * when the class starts, with a visible warning when it is missing, and again per test, which then
 * skips, or fails when the CI flag for it is set.
 */
public interface Requirement {
    /** At class start: whether it is here; prints a visible warning saying what is skipped when it is not. */
    boolean isMet();

    /** Per test: returns when met; otherwise skips the test, or fails it when the CI flag is set. */
    void require();
}
