CREATE INDEX grants_account ON grants (master_account_id);
DROP INDEX grants_account_role;
CREATE INDEX outbox_member ON outbox (member_id);
DROP INDEX outbox_member_newest;
