-- Passkeys (issue 22): WebAuthn credentials, a second factor after the password and a way to
-- sign in without one. A passkey holds only a public key: nothing here signs anything, so it is
-- stored as webauthn-rs serialises it (JSON), beside the columns the service looks it up by.
CREATE TABLE passkeys (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- The WebAuthn user handle: 16 random bytes per person, the same on each of their
    -- passkeys. An authenticator returns it on a passwordless sign-in; it says nothing of who
    -- the person is (never the id or the address).
    user_handle BYTEA NOT NULL CHECK (length(user_handle) = 16),
    -- Unique across people: a credential registered twice would let one authenticator answer
    -- for two logins (WebAuthn 7.1 step 22).
    credential_id BYTEA NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 16 AND 1023),
    name TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    passkey JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX passkeys_person ON passkeys (person_id);
