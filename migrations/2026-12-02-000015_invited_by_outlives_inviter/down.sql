ALTER TABLE members DROP CONSTRAINT members_invited_by_fkey;
ALTER TABLE members ADD CONSTRAINT members_invited_by_fkey
    FOREIGN KEY (invited_by) REFERENCES people (id) ON DELETE CASCADE;
ALTER TABLE members ALTER COLUMN invited_by SET NOT NULL;
