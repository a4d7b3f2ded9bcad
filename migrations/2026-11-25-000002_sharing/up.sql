-- Sharing: who has access to an owner's accounts (members) and what they may do in each (grants).

-- Lets grants reference a sub-account together with its master account, so a grant can never
-- point at another owner's sub-account.
ALTER TABLE sub_accounts ADD CONSTRAINT sub_accounts_master_id_key UNIQUE (master_account_id, id);

-- One row per person with access to one owner's accounts, Pending until they accept.
CREATE TABLE members (
    id                    BIGSERIAL PRIMARY KEY,
    master_account_id     BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Canonical form, as in people.email; the invitation is for this address only (R6).
    email                 TEXT NOT NULL CHECK (length(email) <= 254),
    person_id             BIGINT REFERENCES people (id) ON DELETE CASCADE,
    invited_by            BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    accepted_at           TIMESTAMPTZ,
    -- Hash of the newest invitation link, minted by the mail worker; NULL once accepted or
    -- while a re-sent invitation waits for its mail. Bumping the version retires queued mail.
    token_hash            BYTEA UNIQUE,
    token_version         INTEGER NOT NULL DEFAULT 1,
    invitation_expires_at TIMESTAMPTZ NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((accepted_at IS NULL) = (person_id IS NULL))
);
-- One entry per address per owner, whatever its state (R29).
CREATE UNIQUE INDEX members_email_per_account ON members (master_account_id, email);
CREATE UNIQUE INDEX members_person_per_account ON members (master_account_id, person_id);
CREATE INDEX members_person ON members (person_id);

-- What one member may do in one account: the master account (sub_account_id NULL) or a
-- sub-account of the same owner.
CREATE TABLE grants (
    id                BIGSERIAL PRIMARY KEY,
    master_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    member_id         BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    sub_account_id    BIGINT,
    role              TEXT NOT NULL,
    -- Bit sets of domain::permission::Area and Restriction.
    areas             SMALLINT NOT NULL CHECK (areas > 0),
    restrictions      SMALLINT NOT NULL DEFAULT 0,
    FOREIGN KEY (master_account_id, sub_account_id)
        REFERENCES sub_accounts (master_account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX grants_account_per_member ON grants (member_id, coalesce(sub_account_id, 0));
CREATE INDEX grants_account ON grants (master_account_id);

-- Which member an invitation mail is for, so the sharing page can show its delivery.
ALTER TABLE outbox ADD COLUMN member_id BIGINT REFERENCES members (id) ON DELETE SET NULL;
CREATE INDEX outbox_member ON outbox (member_id);
