-- Issue 13: a project names the storage profile its blobs live in. Projects made before profiles
-- keep theirs in the data directory's blob store, the profile "local".
ALTER TABLE projects ADD COLUMN storage TEXT NOT NULL DEFAULT 'local';
