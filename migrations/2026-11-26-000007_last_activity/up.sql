-- The last request a person made inside this owner's accounts, kept to within 5 minutes: it is
-- written at most once every 5 minutes per person and account, so most page views write nothing.
ALTER TABLE members ADD COLUMN last_activity_at timestamptz;
