-- People, their master accounts and sub-accounts, email verification, sessions and the outbox.

CREATE TABLE people (
    id                BIGSERIAL PRIMARY KEY,
    -- Canonical form only (trimmed, lower-cased, punycode domain): see domain::email.
    email             TEXT NOT NULL UNIQUE CHECK (length(email) <= 254),
    display_name      TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash     TEXT NOT NULL,
    email_verified_at TIMESTAMPTZ,
    last_sign_in_at   TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A master account; owned by exactly one person, who owns at most one.
CREATE TABLE accounts (
    id                        BIGSERIAL PRIMARY KEY,
    owner_id                  BIGINT NOT NULL UNIQUE REFERENCES people (id) ON DELETE CASCADE,
    plan                      TEXT NOT NULL,
    -- Set by the operator for Enterprise accounts only.
    enterprise_seats          INTEGER CHECK (enterprise_seats >= 0),
    enterprise_advanced       INTEGER CHECK (enterprise_advanced >= 0),
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sub_accounts (
    id                BIGSERIAL PRIMARY KEY,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- SHA-256 of the key: the key itself is shown once and never stored.
    api_key_hash      BYTEA NOT NULL UNIQUE,
    api_key_hint      TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Two sub-accounts called the same would be indistinguishable when sharing them.
CREATE UNIQUE INDEX sub_accounts_name_per_master ON sub_accounts (master_account_id, lower(name));

-- One live verification link per person. The token is minted by the mail worker when it sends,
-- so only its hash is ever stored and only the newest link works.
CREATE TABLE email_verifications (
    person_id   BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash  BYTEA UNIQUE,
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Server-side sessions behind actix-session (R17); the cookie holds a key whose hash is stored.
CREATE TABLE sessions (
    key_hash    BYTEA PRIMARY KEY,
    state       JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Mail to send, written in the same transaction as the change that needs it (R31).
CREATE TABLE outbox (
    id                BIGSERIAL PRIMARY KEY,
    master_account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    recipient         TEXT NOT NULL,
    -- What to render, without secrets: links are minted by the worker at send time (R2, R32).
    message           JSONB NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error        TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at           TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_account ON outbox (master_account_id);
