-- Issue 13: a project's blobs can be moved to another storage profile. While a move is in
-- progress, moving_to names the profile new blobs go to; storage changes when the move finishes.
ALTER TABLE projects ADD COLUMN moving_to TEXT;
