-- Token lineage (issue 10): a token belongs to its owner's immutable user ID, not to the name (a
-- deleted user's tokens never come back with a new user of the same name), and a token made by a
-- token records its parent (revoking a token revokes its descendants). Same SQL on SQLite and
-- PostgreSQL, one column per ALTER TABLE, like V1-V4.

-- Users get an immutable ID; existing users get 'u-' || name (new ones a random ID, which never
-- has that shape), unique from here on.
ALTER TABLE users ADD COLUMN id VARCHAR(64);
UPDATE users SET id = 'u-' || name;
CREATE UNIQUE INDEX users_by_id ON users (id);

-- The owner's user ID, taken from the owner's name where that user still exists.
ALTER TABLE tokens ADD COLUMN owner_user_id VARCHAR(64);
UPDATE tokens SET owner_user_id = (SELECT u.id FROM users u WHERE u.name = tokens.owner_user)
    WHERE owner_user IS NOT NULL;
-- Tokens whose owner was deleted before this migration would have come back with a new user of
-- that name: revoked now (at their creation time: no clock in portable SQL).
UPDATE tokens SET revoked_at = created_at
    WHERE owner_user IS NOT NULL AND owner_user_id IS NULL AND revoked_at IS NULL;
CREATE INDEX tokens_by_owner_id ON tokens (owner_user_id);

-- The token that made this one (null: made by a user session, the CLI or the first start).
ALTER TABLE tokens ADD COLUMN parent_id VARCHAR(64);
CREATE INDEX tokens_by_parent ON tokens (parent_id);
