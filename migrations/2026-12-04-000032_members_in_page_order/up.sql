-- The sharing page as it first opens, unfiltered, shows an account's first 50 people in the
-- order invited, or by last activity: read from these in that order, instead of counting and
-- sorting everyone (issue 20; db::members::sharing_page). How many there are is kept on the
-- account's row (seats_used).
CREATE INDEX members_in_order_invited ON members (master_account_id, id);
CREATE INDEX members_by_activity ON members (master_account_id, last_activity_at DESC NULLS LAST, id);
