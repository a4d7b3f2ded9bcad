-- Webhooks (INTEGRATION.md S17): endpoints an owner registers (Share your account → Webhooks),
-- and instance-wide ones the operator lists in WEBHOOKS (master_account_id NULL, from_env).
-- The signing secret is kept as given: signing needs it (an HMAC key cannot be hashed away).
CREATE TABLE webhook_endpoints (
    id BIGSERIAL PRIMARY KEY,
    master_account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    secret TEXT NOT NULL,
    from_env BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (master_account_id);
CREATE UNIQUE INDEX webhook_endpoints_env_url ON webhook_endpoints (url) WHERE from_env;

-- One event for one endpoint: written in the change's own transaction (with its audit record),
-- delivered by the webhook worker at least once, with the same webhook-id on every attempt.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_status INT,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
