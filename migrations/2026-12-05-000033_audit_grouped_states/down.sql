ALTER TABLE audit_events DROP COLUMN grouped_states;
