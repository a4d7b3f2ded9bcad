DROP INDEX members_by_activity;
DROP INDEX members_in_order_invited;
