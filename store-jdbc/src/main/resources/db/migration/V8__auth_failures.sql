-- Issue 14: the authentication-failure throttle counts across nodes. One row per key (a source
-- address or a user name) while its window is open; expires_at in epoch milliseconds.
CREATE TABLE auth_failures (
    failure_key TEXT    NOT NULL PRIMARY KEY,
    failures    INTEGER NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX auth_failures_expiry ON auth_failures (expires_at);
