-- Each person's grants on one master account, grouped: one element per distinct role, areas and
-- restrictions, with the accounts it covers (`on_master`, and the sub-accounts by id), in the
-- order of the first account each covers (the master account first). A Manager on 101 accounts
-- is two elements, not 101 rows.
--
-- The sharing page shows every person of its page with their accesses. Grouping the grants at
-- every view was half of PostgreSQL's time for the page (issue 20: 175 µs of 20 x 15's 15 people,
-- against 67 µs reading the groups from here). Triggers keep it, so that no code path that grants,
-- edits or removes an access (a sub-account's deletion cascading included) can forget it.
--
-- `json`, not `jsonb`: it is only ever read whole, and `json` is sent as stored, with no
-- conversion on every read.
CREATE FUNCTION member_access_groups(member bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT coalesce(json_agg(json_build_object(
               'role', grouped.role, 'areas', grouped.areas,
               'restrictions', grouped.restrictions, 'on_master', grouped.on_master,
               'sub_accounts', grouped.sub_accounts) ORDER BY grouped.first), '[]')
    FROM (
        SELECT g.role, g.areas, g.restrictions, bool_or(g.sub_account_id IS NULL) AS on_master,
               min(coalesce(g.sub_account_id, 0)) AS first,
               coalesce(array_agg(g.sub_account_id ORDER BY g.sub_account_id)
                   FILTER (WHERE g.sub_account_id IS NOT NULL), '{}') AS sub_accounts
        FROM grants g WHERE g.member_id = member
        GROUP BY g.role, g.areas, g.restrictions
    ) grouped
$$;

ALTER TABLE members ADD COLUMN access_groups json NOT NULL DEFAULT '[]';

-- Once per statement, for the members whose grants it touched: granting 101 accounts at once
-- regroups once, not 101 times.
CREATE FUNCTION members_access_groups_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        touched := ARRAY(SELECT DISTINCT member_id FROM changed_after);
    ELSIF TG_OP = 'DELETE' THEN
        touched := ARRAY(SELECT DISTINCT member_id FROM changed_before);
    ELSE
        touched := ARRAY(SELECT member_id FROM changed_before
                         UNION SELECT member_id FROM changed_after);
    END IF;
    -- The members' rows first: a transaction changing the same person's grants at the same time
    -- waits here until it commits, and the regrouping below, a statement of its own, then sees
    -- its grants too.
    PERFORM 1 FROM members m WHERE m.id = ANY (touched) ORDER BY m.id FOR NO KEY UPDATE;
    UPDATE members m SET access_groups = member_access_groups(m.id) WHERE m.id = ANY (touched);
    RETURN NULL;
END
$$;

CREATE TRIGGER grants_access_groups_insert
AFTER INSERT ON grants REFERENCING NEW TABLE AS changed_after
FOR EACH STATEMENT EXECUTE FUNCTION members_access_groups_refresh();

CREATE TRIGGER grants_access_groups_update
AFTER UPDATE ON grants REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed_after
FOR EACH STATEMENT EXECUTE FUNCTION members_access_groups_refresh();

CREATE TRIGGER grants_access_groups_delete
AFTER DELETE ON grants REFERENCING OLD TABLE AS changed_before
FOR EACH STATEMENT EXECUTE FUNCTION members_access_groups_refresh();

UPDATE members m SET access_groups = member_access_groups(m.id)
WHERE EXISTS (SELECT 1 FROM grants g WHERE g.member_id = m.id);
