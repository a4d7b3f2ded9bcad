DROP TRIGGER grants_access_groups_delete ON grants;
DROP TRIGGER grants_access_groups_update ON grants;
DROP TRIGGER grants_access_groups_insert ON grants;
DROP FUNCTION members_access_groups_refresh();
ALTER TABLE members DROP COLUMN access_groups;
DROP FUNCTION member_access_groups(bigint);
