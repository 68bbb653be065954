-- Issue 30: a TFE client's upload URLs. Each carries a random secret; only its SHA-256 is stored.
-- A grant is redeemed once (a conditional UPDATE of used_at), goes with its state, and is pruned
-- after it expires. Same SQL on SQLite and PostgreSQL.
CREATE TABLE upload_grants (
    id_hash        VARCHAR(64)  PRIMARY KEY,
    project        VARCHAR(128) NOT NULL,
    state          VARCHAR(128) NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    serial         BIGINT       NOT NULL,
    lineage        TEXT,
    md5            VARCHAR(32),
    lock_id        VARCHAR(1024),
    principal      TEXT         NOT NULL,
    trust_policies TEXT         NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    used_at        BIGINT,
    FOREIGN KEY (project, state) REFERENCES states (project, name) ON DELETE CASCADE
);
CREATE INDEX upload_grants_expiry ON upload_grants (expires_at);
