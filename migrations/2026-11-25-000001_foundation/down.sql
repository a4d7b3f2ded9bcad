DROP TABLE outbox;
DROP TABLE sessions;
DROP TABLE email_verifications;
DROP TABLE sub_accounts;
DROP TABLE accounts;
DROP TABLE people;
