-- Whose each session is, so that a password change or reset can end the person's other sessions
-- and "Sign out everywhere" can end them all.
ALTER TABLE sessions ADD COLUMN person_id BIGINT REFERENCES people (id) ON DELETE CASCADE;
CREATE INDEX sessions_person ON sessions (person_id);

-- One-time links sent to a person, other than the verification of a new sign-up: a password
-- reset, or the confirmation of a new address. As for every link, the token is minted by the mail
-- worker when it sends, so only its hash is stored, and only the newest link works.
CREATE TABLE person_links (
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_change')),
    -- For an email change: the address the login moves to once the link is followed.
    new_email   TEXT CHECK (length(new_email) <= 254),
    token_hash  BYTEA UNIQUE,
    expires_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, purpose)
);
