-- Ownership transfer (SPEC S12): the new owner must have an account of their own, so a person
-- may now own several master accounts. Each account still has exactly one owner.
ALTER TABLE accounts DROP CONSTRAINT accounts_owner_id_key;
CREATE INDEX accounts_owner ON accounts (owner_id);

-- An offer of one account to one person, waiting for them to accept: one at a time per account.
CREATE TABLE ownership_transfers (
    master_account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    to_person_id      BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    expires_at        TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ownership_transfers_to ON ownership_transfers (to_person_id);
