ALTER TABLE members DROP COLUMN access_ends_on, DROP COLUMN access_end_warned_at;
