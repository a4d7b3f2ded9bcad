ALTER TABLE accounts DROP COLUMN seats_used, DROP COLUMN advanced_used;
