ALTER TABLE accounts DROP COLUMN enterprise_sub_accounts;
