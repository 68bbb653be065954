-- Statefort metadata schema. The SAME file runs on SQLite and PostgreSQL: keep to the common
-- subset (no SERIAL/AUTOINCREMENT, no dialect types). Times are epoch milliseconds (BIGINT).
-- States and versions use natural keys (project name, state name), so every write addresses a
-- row directly and state rows can be created with INSERT ... SELECT ... ON CONFLICT DO NOTHING.

CREATE TABLE projects (
    name       VARCHAR(128) NOT NULL PRIMARY KEY,
    created_at BIGINT       NOT NULL
);

-- The lock lives on the state row: tryLock, commit and delete are single conditional UPDATEs.
CREATE TABLE states (
    project            VARCHAR(128) NOT NULL REFERENCES projects (name),
    name               VARCHAR(128) NOT NULL,
    created_at         BIGINT       NOT NULL,
    head_version       BIGINT       NOT NULL,
    lock_id            TEXT,
    lock_info          BYTEA,
    lock_operation     TEXT,
    lock_principal     TEXT,
    lock_acquired_at   BIGINT,
    lock_last_activity BIGINT,
    PRIMARY KEY (project, name)
);

CREATE TABLE versions (
    project    VARCHAR(128) NOT NULL,
    state      VARCHAR(128) NOT NULL,
    number     BIGINT       NOT NULL,
    serial     BIGINT,
    lineage    TEXT,
    sha256     VARCHAR(64)  NOT NULL,
    size       BIGINT       NOT NULL,
    created_at BIGINT       NOT NULL,
    principal  TEXT,
    lock_id    TEXT,
    operation  TEXT,
    blob_key   TEXT         NOT NULL,
    PRIMARY KEY (project, state, number),
    FOREIGN KEY (project, state) REFERENCES states (project, name)
);

CREATE TABLE tokens (
    id          VARCHAR(128) NOT NULL PRIMARY KEY,
    name        TEXT,
    project     VARCHAR(128),
    permission  VARCHAR(16)  NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT
);

CREATE INDEX tokens_by_creation ON tokens (created_at, id);
