package dev.statefort.core.auth;

/**
 * A password check that was counted before it ran (by the front's failure throttle): the use case
 * says how it went.
 */
public interface PasswordAttempt {
    /** No throttle (the CLI, tests). */
    PasswordAttempt UNCOUNTED = new PasswordAttempt() {
        @Override
        public void succeeded() {}

        @Override
        public void failed() {}

        @Override
        public void notChecked() {}
    };

    /** The password was right: the attempt does not count. */
    void succeeded();

    /** The password was wrong: the attempt counts, and the caller waits the growing delay. */
    void failed();

    /** The check could not run (503, storage down): the attempt does not count. */
    void notChecked();
}
