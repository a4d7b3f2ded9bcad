-- How often each thing was done lately (R23), counted in the database so that every server
-- process shares the counts.
CREATE TABLE rate_limits (
    -- SHA-256 of what is counted and for whom (say, sign-in attempts for one address): no
    -- address or IP is kept in the clear.
    bucket      BYTEA PRIMARY KEY,
    window_end  TIMESTAMPTZ NOT NULL,
    hits        INTEGER NOT NULL
);
CREATE INDEX rate_limits_window_end ON rate_limits (window_end);
