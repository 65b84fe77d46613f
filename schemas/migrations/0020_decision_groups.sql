-- A different_persons ruling may say which of its records are which
-- person (schemas.Decision.Groups): the reviewer's grouping, kept with
-- the ruling. Decisions stored before it have none (empty).
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS groups Array(Array(String));
