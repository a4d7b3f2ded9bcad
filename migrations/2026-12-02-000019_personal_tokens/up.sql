-- Personal access tokens (INTEGRATION.md S16): made by a person in My account for one master
-- account they can reach, with scopes and an optional expiry. Only the SHA-256 of the token is
-- kept. A token made on an account shared with the person names that membership: Delete access
-- and the end of the access delete the member row, and the token goes with it.
CREATE TABLE personal_tokens (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    member_id BIGINT REFERENCES members (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scopes TEXT[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 8),
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- `asp_` and four characters, to tell tokens apart in the list.
    hint TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    -- Written at most once a minute, so a busy script writes next to nothing.
    last_used_at TIMESTAMPTZ,
    last_used_ip INET,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX personal_tokens_person ON personal_tokens (person_id, id);

-- What a token's POST answered under an `Idempotency-Key` (IETF draft): the same key within
-- 24 hours gets the same answer and never a second invitation. A row without an answer is a
-- request under way.
CREATE TABLE api_idempotency (
    token_id BIGINT NOT NULL REFERENCES personal_tokens (id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash BYTEA NOT NULL,
    status INT,
    body TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_age ON api_idempotency (created_at);

-- Which personal token acted, as its name and hint of the moment ("deploy script (asp_Xy3k…)"):
-- the audit log says a change came by the API, and from which token, even after it is revoked.
ALTER TABLE audit_events ADD COLUMN actor_token TEXT;
