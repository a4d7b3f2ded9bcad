ALTER TABLE outbox DROP COLUMN member_id;
DROP TABLE grants;
DROP TABLE members;
ALTER TABLE sub_accounts DROP CONSTRAINT sub_accounts_master_id_key;
