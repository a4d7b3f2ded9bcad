-- The language a person chose (NULL until they choose one or sign up), the language an
-- invitation was sent in (the inviting owner's at the time, for people without a login), and
-- the language each queued mail is rendered in. ('en-XA' is the test suite's pseudo-locale.)
ALTER TABLE people ADD COLUMN locale text CHECK (locale IN ('en', 'fr', 'de', 'en-XA'));
ALTER TABLE members ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'de', 'en-XA'));
ALTER TABLE outbox ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'de', 'en-XA'));
