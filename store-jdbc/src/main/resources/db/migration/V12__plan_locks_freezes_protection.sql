-- Issue 29: shared plan locks, change freezes and protected states. Same SQL on SQLite and PostgreSQL.
--
-- Plan locks: any number per state, one row each. states.plan_locks counts them, so that an exclusive
-- LOCK (a conditional UPDATE of the state row, "AND plan_locks = 0") and a plan LOCK (an UPDATE of
-- the same row, "plan_locks = plan_locks + 1 WHERE lock_id IS NULL") serialize on that row on both
-- databases. An exclusive LOCK refused because of plan locks leaves its LockInfo as the waiting
-- marker: new plan locks are refused, naming it, until it is granted or stops asking for 60 s.
ALTER TABLE states ADD COLUMN plan_locks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE states ADD COLUMN waiting_lock_info BYTEA;
ALTER TABLE states ADD COLUMN waiting_lock_id TEXT;
ALTER TABLE states ADD COLUMN waiting_since BIGINT;

CREATE TABLE plan_locks (
    project       VARCHAR(128) NOT NULL,
    state         VARCHAR(128) NOT NULL,
    lock_id       VARCHAR(1024) NOT NULL,
    lock_info     BYTEA        NOT NULL,
    operation     TEXT,
    principal     TEXT         NOT NULL,
    acquired_at   BIGINT       NOT NULL,
    last_activity BIGINT       NOT NULL,
    credential    VARCHAR(128),
    PRIMARY KEY (project, state, lock_id),
    FOREIGN KEY (project, state) REFERENCES states (project, name) ON DELETE CASCADE
);

-- A freeze of one state (state = the state's name) or of a whole project (state = '').
CREATE TABLE freezes (
    project   VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    state     VARCHAR(128) NOT NULL,
    reason    TEXT         NOT NULL,
    frozen_by TEXT         NOT NULL,
    frozen_at BIGINT       NOT NULL,
    until_at  BIGINT,
    PRIMARY KEY (project, state)
);

-- Protection rules: the states (a glob) whose changes need one of the allowed identities.
CREATE TABLE protection_rules (
    id           VARCHAR(64)  PRIMARY KEY,
    project      VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    number       INTEGER      NOT NULL,
    states       VARCHAR(128) NOT NULL,
    allow        TEXT         NOT NULL,
    allow_tokens TEXT         NOT NULL,
    created_by   TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    UNIQUE (project, number)
);
