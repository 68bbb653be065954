-- Issue 28: OIDC ID tokens of CI jobs. A project's trust policies say which tokens (issuer and
-- claims) may act on which of its states, with which permission; deleting the project deletes them.
-- A lock taken with such a token is bound to it (lock_credential = 'jwt:<SHA-256 of the token>'),
-- so the apply under it outlives the token. Same SQL on SQLite and PostgreSQL.
CREATE TABLE trust_policies (
    id         VARCHAR(64)  PRIMARY KEY,
    project    VARCHAR(128) NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    name       VARCHAR(128) NOT NULL,
    issuer     VARCHAR(64)  NOT NULL,
    claims     TEXT         NOT NULL,
    permission VARCHAR(16)  NOT NULL,
    states     VARCHAR(128) NOT NULL,
    created_by TEXT         NOT NULL,
    created_at BIGINT       NOT NULL,
    UNIQUE (project, name)
);

ALTER TABLE states ADD COLUMN lock_credential VARCHAR(128);
