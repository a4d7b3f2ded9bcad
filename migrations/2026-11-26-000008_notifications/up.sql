-- Which notification mails a person wants, each switchable off in My account: an owner is told
-- when someone accepts or declines; a person is told when their access is edited or deleted.
ALTER TABLE people
    ADD COLUMN notify_accepted boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_declined boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_access_changed boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_access_removed boolean NOT NULL DEFAULT true;
