-- Single sign-on with OpenID Connect (issue 22), per owner: the provider and the email domains
-- the owner proved theirs. People at a proven domain sign in through the owner's provider.
CREATE TABLE sso_connections (
    master_account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    -- AES-256-GCM under a key derived from SESSION_KEY, the account's id as associated data.
    sealed_secret BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A domain is claimed by mailing a link to an address at it; only the link's hash is kept.
CREATE TABLE sso_domains (
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    proof_address TEXT NOT NULL,
    token_hash BYTEA,
    expires_at TIMESTAMPTZ,
    verified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (master_account_id, domain)
);
-- A proven domain belongs to one owner.
CREATE UNIQUE INDEX sso_domains_proven ON sso_domains (domain) WHERE verified_at IS NOT NULL;
CREATE UNIQUE INDEX sso_domains_token ON sso_domains (token_hash) WHERE token_hash IS NOT NULL;
