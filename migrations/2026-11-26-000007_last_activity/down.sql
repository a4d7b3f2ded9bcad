ALTER TABLE members DROP COLUMN last_activity_at;
