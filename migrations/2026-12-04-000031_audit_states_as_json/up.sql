-- The states before and after a change (domain::audit) are only ever read whole, never queried
-- inside. `jsonb` was turned back into text on every read: at 100 x 1,000 the Activity page's 50
-- records hold some 100 kB of states, and that conversion (escape_json) was a sixth of
-- PostgreSQL's time for the page; reading the same records as `json`, sent as stored, went from
-- 1,600 to 5,300 pages a second in pgbench (issue 20). Same reasoning as members.access_groups.
--
-- This rewrites the table once, holding its lock meanwhile: every change that records itself
-- waits. On a large log, upgrade at a quiet moment (README, Production).
ALTER TABLE audit_events
    ALTER COLUMN before TYPE json USING before::json,
    ALTER COLUMN after TYPE json USING after::json;
