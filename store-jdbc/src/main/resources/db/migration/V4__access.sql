-- Access control: users, project memberships, state aliases, UI sessions; richer tokens and audit
-- events. Same SQL on SQLite and PostgreSQL, like V1-V3 (one column per ALTER TABLE; BOOLEAN is a
-- real type on PostgreSQL and a NUMERIC 0/1 on SQLite, both read with getBoolean). Times are epoch
-- milliseconds (BIGINT). SQLite runs with foreign keys on, so ON DELETE CASCADE works on both.

-- Tokens: the one state they are scoped to, the user who owns them (no foreign key: deleting a
-- user does not touch tokens here; the caller revokes them), expiry and coarse last use.
ALTER TABLE tokens ADD COLUMN state VARCHAR(128);
ALTER TABLE tokens ADD COLUMN owner_user VARCHAR(128);
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;

-- Audit events: client address, outcome (rows written before V4 read back as 'ok'), version.
ALTER TABLE audit_events ADD COLUMN source_ip TEXT;
ALTER TABLE audit_events ADD COLUMN outcome VARCHAR(16) NOT NULL DEFAULT 'ok';
ALTER TABLE audit_events ADD COLUMN version BIGINT;

CREATE INDEX audit_events_by_principal ON audit_events (principal, id);

-- Local users. createUser is INSERT ... ON CONFLICT (name) DO NOTHING.
CREATE TABLE users (
    name                 VARCHAR(128) NOT NULL PRIMARY KEY,
    password_hash        TEXT         NOT NULL,
    global_admin         BOOLEAN      NOT NULL,
    must_change_password BOOLEAN      NOT NULL,
    created_at           BIGINT       NOT NULL,
    password_changed_at  BIGINT
);

-- A user's role in a project. putMember is one INSERT ... SELECT FROM projects, users ...
-- ON CONFLICT DO UPDATE; deleting the user (or project) deletes the row.
CREATE TABLE memberships (
    project   VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    user_name VARCHAR(128) NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    role      VARCHAR(16)  NOT NULL,
    since     BIGINT       NOT NULL,
    PRIMARY KEY (project, user_name)
);

CREATE INDEX memberships_by_user ON memberships (user_name, project);

-- Extra backend addresses for one state. The state is not a foreign key: it need not exist yet.
CREATE TABLE aliases (
    id          VARCHAR(128) NOT NULL PRIMARY KEY,
    project     VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    state       VARCHAR(128) NOT NULL,
    username    TEXT         NOT NULL,
    permission  VARCHAR(16)  NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created_by  TEXT,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT
);

CREATE INDEX aliases_by_project ON aliases (project, created_at, id);

-- UI login sessions, keyed by the SHA-256 of the cookie; deleting the user ends them.
CREATE TABLE sessions (
    id_hash      VARCHAR(128) NOT NULL PRIMARY KEY,
    user_name    VARCHAR(128) NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token   TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_creation ON sessions (created_at);
