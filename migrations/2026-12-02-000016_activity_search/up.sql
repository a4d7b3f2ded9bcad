-- The Activity page searches part of a name or address, as the sharing page does (issue 17).
-- Trigram indexes serve ILIKE '%…%' on both addresses of a record and on people's names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX audit_events_target_email_trgm ON audit_events USING gin (target_email gin_trgm_ops);
CREATE INDEX audit_events_actor_email_trgm ON audit_events USING gin (actor_email gin_trgm_ops);
CREATE INDEX people_display_name_trgm ON people USING gin (display_name gin_trgm_ops);
