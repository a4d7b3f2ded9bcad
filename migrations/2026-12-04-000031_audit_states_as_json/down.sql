ALTER TABLE audit_events
    ALTER COLUMN before TYPE jsonb USING before::jsonb,
    ALTER COLUMN after TYPE jsonb USING after::jsonb;
