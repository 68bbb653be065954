-- Issue 32: the fleet's search index and who reads whose outputs. Same SQL on SQLite and PostgreSQL.
-- The index is derived from each state's current version and replaced whenever it does not hold it
-- (indexed_version <> head_version: a write since, or a crash between a write and its indexing).
ALTER TABLE states ADD COLUMN indexed_version BIGINT;
ALTER TABLE states ADD COLUMN index_status VARCHAR(16);
ALTER TABLE states ADD COLUMN index_digest VARCHAR(64);

-- Sizes: core keeps an address to 1,024 UTF-8 bytes, a term to 200 characters and an owner key to
-- 1,024 bytes (a longer identity is kept as its digest), so every index entry stays under
-- PostgreSQL's limit of about 2.7 KB; no value holds a NUL.
-- One row per resource instance of the indexed version; fields is a JSON object of identifying
-- values (never a sensitive one); owner_key is what makes two managed instances the same object.
CREATE TABLE index_entries (
    project   VARCHAR(128) NOT NULL,
    state     VARCHAR(128) NOT NULL,
    address   TEXT         NOT NULL,
    type      TEXT         NOT NULL,
    provider  TEXT         NOT NULL,
    mode      TEXT         NOT NULL,
    module    TEXT         NOT NULL,
    fields    TEXT         NOT NULL,
    owner_key TEXT,
    PRIMARY KEY (project, state, address),
    FOREIGN KEY (project, state) REFERENCES states (project, name) ON DELETE CASCADE
);
-- covering: objects managed twice are found in one pass over it
CREATE INDEX index_entries_by_owner ON index_entries (owner_key, project, state, address);
CREATE INDEX index_entries_by_type ON index_entries (type, project);

-- What a search matches: lower-case terms as UTF-8 bytes (byte order on both databases, so a
-- prefix is one range of the index).
CREATE TABLE index_terms (
    term    BYTEA        NOT NULL,
    project VARCHAR(128) NOT NULL,
    state   VARCHAR(128) NOT NULL,
    address TEXT         NOT NULL,
    field   TEXT         NOT NULL,
    PRIMARY KEY (project, state, address, term),
    FOREIGN KEY (project, state) REFERENCES states (project, name) ON DELETE CASCADE
);
CREATE INDEX index_terms_by_term ON index_terms (term, project);

-- The fleet overview counts each state's versions of the last 7 days.
CREATE INDEX versions_by_creation ON versions (created_at);

-- Reads of a state's outputs by another party, per reader.
CREATE TABLE state_consumers (
    project    VARCHAR(128) NOT NULL,
    state      VARCHAR(128) NOT NULL,
    reader     TEXT         NOT NULL,
    via        TEXT         NOT NULL,
    first_seen BIGINT       NOT NULL,
    last_seen  BIGINT       NOT NULL,
    reads      BIGINT       NOT NULL,
    PRIMARY KEY (project, state, reader),
    FOREIGN KEY (project, state) REFERENCES states (project, name) ON DELETE CASCADE
);
