-- Named opaque bytes for envelope encryption: wrapped project keysets (project/<name>) and the
-- master-key check value (master-check). Same SQL on SQLite and PostgreSQL, like V1.
-- replaceKeyMaterial is one conditional statement: INSERT ... ON CONFLICT (name) DO NOTHING when
-- nothing may be stored yet, else UPDATE ... WHERE name = ? AND material = ? (bytewise on both).

CREATE TABLE key_material (
    name       TEXT   NOT NULL PRIMARY KEY,
    material   BYTEA  NOT NULL,
    updated_at BIGINT NOT NULL
);
