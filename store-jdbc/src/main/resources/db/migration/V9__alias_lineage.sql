-- Issue 25 finding 4: an alias records who made it, the user (by name and immutable ID) and the
-- token, and an optional expiry; it works only while they still may grant it. Same SQL on SQLite
-- and PostgreSQL, one column per ALTER TABLE, like V1-V8 (substr, length and LIKE exist on both).
ALTER TABLE aliases ADD COLUMN maker_user VARCHAR(128);
ALTER TABLE aliases ADD COLUMN maker_user_id VARCHAR(64);
ALTER TABLE aliases ADD COLUMN maker_token VARCHAR(64);
ALTER TABLE aliases ADD COLUMN expires_at BIGINT;

-- Existing aliases get their maker from created_by where it names one, as V5 gave tokens their
-- owner's ID: 'user:<name>' (a UI session), 'user:<name>/token:<id>' (a user's token; token IDs
-- have 12 characters), 'token:<id>' (a robot token). The user's ID is taken where that user still
-- exists; an alias whose maker was deleted before this migration keeps a name without an ID and
-- never works again. Any other created_by (the CLI, a client certificate) records no maker: such an
-- alias works until it is revoked, as before.
UPDATE aliases SET maker_token = substr(created_by, length(created_by) - 11),
                   maker_user = substr(created_by, 6, length(created_by) - 24)
    WHERE created_by LIKE 'user:%/token:____________';
UPDATE aliases SET maker_user = substr(created_by, 6)
    WHERE created_by LIKE 'user:%' AND created_by NOT LIKE '%/token:%';
UPDATE aliases SET maker_token = substr(created_by, 7)
    WHERE created_by LIKE 'token:%';
UPDATE aliases SET maker_user_id = (SELECT u.id FROM users u WHERE u.name = aliases.maker_user)
    WHERE maker_user IS NOT NULL;
