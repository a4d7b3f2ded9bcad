-- Service tokens (INTEGRATION.md S16): what the email platform's back end shows to ask the
-- check API. Made by the operator's `account-sharing token create --service NAME`; only the
-- SHA-256 of the token is kept, so a copy of this table asks nothing.
CREATE TABLE service_tokens (
    id BIGSERIAL PRIMARY KEY,
    service TEXT NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- The token's first characters, to tell tokens apart in `token list`.
    hint TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    -- Written at most once a minute, so a busy platform's checks write next to nothing.
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
