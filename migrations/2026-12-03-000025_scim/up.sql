-- SCIM 2.0 provisioning (issue 22, RFC 7643/7644), per owner: the access a provisioned person
-- gets, the bearer tokens the owner's identity provider presents, and each SCIM User with the
-- access it stands for.

-- The access every provisioned person is invited with: one role on the master account, and on
-- every sub-account when `all_sub_accounts`.
CREATE TABLE scim_settings (
    master_account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    all_sub_accounts BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Only the SHA-256 of a token is kept; the hint tells tokens apart on the page.
CREATE TABLE scim_tokens (
    id BIGSERIAL PRIMARY KEY,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX scim_tokens_account ON scim_tokens (master_account_id);

-- A User as the identity provider sees it. `member_id` is the access it was given; Delete
-- access on the sharing page empties it, and the User then reads `active: false`.
-- `active` is NULL when the provider never said (an active User, RFC 7643 4.1.1).
CREATE TABLE scim_users (
    id TEXT PRIMARY KEY DEFAULT gen_random_uuid()::text,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    external_id TEXT,
    emails JSONB NOT NULL DEFAULT '[]',
    active BOOLEAN,
    member_id BIGINT REFERENCES members (id) ON DELETE SET NULL,
    version INT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- userName is unique per owner, compared without case (RFC 7643 4.1.1: caseExact false).
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (master_account_id, lower(user_name));
CREATE INDEX scim_users_member ON scim_users (member_id);
