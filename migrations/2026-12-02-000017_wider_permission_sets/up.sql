-- A grant's areas and restrictions were SMALLINT bit sets: 15 usable bits. They become BIGINT
-- (domain::permission, 64 bits), and the permissions inside areas a set of strings with no
-- ceiling (domain::vocabulary), so the vocabulary can grow without a schema change.
ALTER TABLE grants ALTER COLUMN areas TYPE BIGINT, ALTER COLUMN restrictions TYPE BIGINT;
