ALTER TABLE people
    DROP COLUMN notify_accepted,
    DROP COLUMN notify_declined,
    DROP COLUMN notify_access_changed,
    DROP COLUMN notify_access_removed;
