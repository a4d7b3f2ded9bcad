-- A record's states before and after, grouped as the Activity page describes them
-- (domain::audit::GroupedStates): a Manager's access to 101 accounts is one group of 101 ids and
-- names, where its state holds 101 accounts of some 80 bytes each. The page read some 100 kB of
-- states per view at 100 x 1,000 and spent a quarter of the server's time parsing them (issue
-- 20); it now reads these instead. Written with each record, in its transaction; records
-- written before this have none, and the page groups their states as it reads them. The
-- states themselves stay as they are, for the API and webhooks.
--
-- A column with no default: added without rewriting the table.
ALTER TABLE audit_events ADD COLUMN grouped_states json;
