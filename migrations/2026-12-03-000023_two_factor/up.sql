-- Two-factor authentication (issue 22): one TOTP authenticator per person. Its seed is sealed
-- with AES-256-GCM under a key derived from SESSION_KEY (`sealing`), so a copy of the database
-- alone yields no working seed. `confirmed_at` is NULL while the person is setting it up: only a
-- confirmed one is asked for at sign-in.
CREATE TABLE totp_authenticators (
    person_id BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    sealed_secret BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    -- The 30-second step of the last code accepted: each code works once (RFC 6238, 5.2), and
    -- the update that moves it is what decides between two tries racing with the same code.
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Ten single-use recovery codes per person, for a lost phone. Each carries 80 random bits, so
-- SHA-256 is enough to store them, as for tokens (R2).
CREATE TABLE recovery_codes (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL CHECK (length(code_hash) = 32),
    used_at TIMESTAMPTZ,
    PRIMARY KEY (person_id, code_hash)
);
