-- SCIM Groups (issue 22): the identity provider's groups of Users. The owner maps a group to an
-- access (a role, on the master account and optionally every sub-account); its members then get
-- that access instead of the default one.
CREATE TABLE scim_groups (
    id TEXT PRIMARY KEY DEFAULT gen_random_uuid()::text,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    external_id TEXT,
    -- NULL until the owner maps the group: its members keep the default access.
    role TEXT,
    all_sub_accounts BOOLEAN NOT NULL DEFAULT false,
    version INT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX scim_groups_display_name ON scim_groups (master_account_id, lower(display_name));

CREATE TABLE scim_group_members (
    group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES scim_users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_group_members_user ON scim_group_members (user_id);
