DROP INDEX grants_access_per_member;
