-- Issue 27 point 3: the encoded bytes of a small state version (header, zstd, streaming AEAD: exactly
-- what a blob store would hold) kept in the database under the version's blob key
-- ('<project>/<state>/_db/<uuid>'), written in the same transaction as the version row, so a small
-- write costs one durable commit. Deleted in the transaction that deletes its version. Same SQL on
-- SQLite and PostgreSQL (BYTEA as in V2).
CREATE TABLE small_blobs (
    blob_key VARCHAR(1024) PRIMARY KEY,
    content  BYTEA         NOT NULL
);
