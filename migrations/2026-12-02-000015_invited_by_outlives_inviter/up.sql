-- An access must never vanish because the person who invited it is removed: who invited is
-- kept in the audit log, and the member row loses only this pointer.
ALTER TABLE members ALTER COLUMN invited_by DROP NOT NULL;
ALTER TABLE members DROP CONSTRAINT members_invited_by_fkey;
ALTER TABLE members ADD CONSTRAINT members_invited_by_fkey
    FOREIGN KEY (invited_by) REFERENCES people (id) ON DELETE SET NULL;
