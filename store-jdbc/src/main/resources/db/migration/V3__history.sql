-- History features. Same SQL on SQLite and PostgreSQL, like V1 and V2 (one column per ALTER TABLE:
-- SQLite adds one column per statement).

-- Version summary fields. flags is a JSON array of strings (e.g. ["removes-all-resources"]);
-- NULL means no flags (rows written before V3 read back with an empty list).
ALTER TABLE versions ADD COLUMN resource_count BIGINT;
ALTER TABLE versions ADD COLUMN terraform_version TEXT;
ALTER TABLE versions ADD COLUMN flags TEXT;

-- Fencing: expireLock moves an idle lock's ID, LockInfo bytes and operation here in the same
-- conditional UPDATE that releases it; a later commit carrying that ID while unlocked is refused.
ALTER TABLE states ADD COLUMN fenced_lock_id TEXT;
ALTER TABLE states ADD COLUMN fenced_lock_info BYTEA;
ALTER TABLE states ADD COLUMN fenced_lock_operation TEXT;
-- The last quarantine ID handed out for the state (IDs are never reused while the state lives).
ALTER TABLE states ADD COLUMN quarantine_seq BIGINT NOT NULL DEFAULT 0;

-- Writes refused by the destructive-write guard: the NewVersion fields, the lock ID the write
-- carried and the guard's reasons (a JSON array of strings).
CREATE TABLE quarantine (
    project           VARCHAR(128) NOT NULL,
    state             VARCHAR(128) NOT NULL,
    id                BIGINT       NOT NULL,
    blob_key          TEXT         NOT NULL,
    serial            BIGINT,
    lineage           TEXT,
    sha256            VARCHAR(64)  NOT NULL,
    size              BIGINT       NOT NULL,
    principal         TEXT,
    created_at        BIGINT       NOT NULL,
    resource_count    BIGINT,
    terraform_version TEXT,
    flags             TEXT,
    lock_id           TEXT,
    reasons           TEXT         NOT NULL,
    PRIMARY KEY (project, state, id),
    FOREIGN KEY (project, state) REFERENCES states (project, name)
);

-- Settings documents (JSON objects, last write wins).
CREATE TABLE project_settings (
    project    VARCHAR(128) NOT NULL PRIMARY KEY REFERENCES projects (name),
    json       TEXT         NOT NULL,
    updated_at BIGINT       NOT NULL
);

CREATE TABLE state_settings (
    project    VARCHAR(128) NOT NULL,
    state      VARCHAR(128) NOT NULL,
    json       TEXT         NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (project, state),
    FOREIGN KEY (project, state) REFERENCES states (project, name)
);

-- Audit log. id = 16-digit zero-padded epoch millis of "at" + '-' + a random UUID, so the ID's
-- byte order is (at, id) order and keyset paging needs only the ID. Not tied to projects/states
-- by foreign keys: events outlive what they describe.
CREATE TABLE audit_events (
    id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    at        BIGINT       NOT NULL,
    principal TEXT,
    action    VARCHAR(128) NOT NULL,
    project   VARCHAR(128),
    state     VARCHAR(128),
    detail    TEXT
);

CREATE INDEX audit_events_by_project ON audit_events (project, state, id);
CREATE INDEX audit_events_by_action ON audit_events (action, id);
