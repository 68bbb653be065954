-- Issue 31: webhooks and their outbox; stale-lock marks. Same SQL on SQLite and PostgreSQL.
-- An event is an audit event; a delivery row is added in the transaction that appends it, one per
-- webhook of the project that receives its type (events is ",type,type," or ",*,"), so a crash
-- after the change never loses its event. Any node claims a due delivery with a conditional UPDATE.
CREATE TABLE webhooks (
    id              VARCHAR(64)  PRIMARY KEY,
    project         VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    url             TEXT         NOT NULL,
    events          TEXT         NOT NULL,
    format          VARCHAR(16)  NOT NULL,
    sealed_secret   TEXT         NOT NULL,
    created_at      BIGINT       NOT NULL,
    created_by      TEXT         NOT NULL,
    disabled_at     BIGINT,
    disabled_reason TEXT,
    failing_since   BIGINT
);
CREATE INDEX webhooks_by_project ON webhooks (project, created_at);

CREATE TABLE webhook_deliveries (
    webhook_id      VARCHAR(64)  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        VARCHAR(64)  NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    created_at      BIGINT       NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    claim           VARCHAR(64),
    claimed_until   BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    last_attempt_at BIGINT,
    PRIMARY KEY (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- The exclusive lock whose lock.stale event was raised (raised once per lock, by one node).
ALTER TABLE states ADD COLUMN stale_lock_id TEXT;
ALTER TABLE plan_locks ADD COLUMN stale_raised INTEGER NOT NULL DEFAULT 0;
CREATE INDEX states_lock_activity ON states (lock_last_activity);
CREATE INDEX plan_locks_activity ON plan_locks (last_activity);

-- A live stream reads a project's newest events: by time (an event's time is its ID's prefix).
CREATE INDEX audit_events_by_project_time ON audit_events (project, at);
