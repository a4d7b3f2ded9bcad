DROP TABLE ownership_transfers;
DROP INDEX accounts_owner;
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_id_key UNIQUE (owner_id);
