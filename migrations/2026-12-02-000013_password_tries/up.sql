-- Which address a count is about (a hash, like the bucket), so that a completed password reset
-- clears every count of failed password tries against that address, whichever client made them.
ALTER TABLE rate_limits ADD COLUMN subject BYTEA;
CREATE INDEX rate_limits_subject ON rate_limits (subject) WHERE subject IS NOT NULL;
