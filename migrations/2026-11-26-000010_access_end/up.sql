-- Access that ends on a date the owner sets (SPEC S12): the person can work through that day
-- (UTC). The mail worker warns them 7 days before, once, and removes the access after it.
ALTER TABLE members
    ADD COLUMN access_ends_on DATE,
    ADD COLUMN access_end_warned_at TIMESTAMPTZ;
CREATE INDEX members_access_ends_on ON members (access_ends_on) WHERE access_ends_on IS NOT NULL;
