ALTER TABLE audit_events DROP COLUMN actor_token;
DROP TABLE api_idempotency;
DROP TABLE personal_tokens;
