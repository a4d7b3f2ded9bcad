-- A person's one-time links die with the credentials they were sent under (issue 16). Each
-- password change or reset, address change and "Sign out everywhere" starts a new generation:
-- links still to be minted for an earlier one are never minted, and live ones are deleted in
-- the same transaction.
ALTER TABLE people ADD COLUMN credential_generation INTEGER NOT NULL DEFAULT 0;
