ALTER TABLE people DROP COLUMN credential_generation;
