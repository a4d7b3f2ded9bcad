-- Whether a person has a second factor turned on (a confirmed authenticator app, or a passkey),
-- kept on their row. The gate asks it before every request of the platform when the owner
-- requires two-factor authentication (issue 22), and the sharing page shows it on every person's
-- row: read from here, each costs one column instead of two subqueries on other tables, whose
-- plan nodes were a fifth of the gate's statement (issue 18). Triggers keep it, so no code path
-- that adds or removes a factor can forget it, whatever removes the row (a cascade included).
ALTER TABLE people ADD COLUMN has_second_factor BOOLEAN NOT NULL DEFAULT false;

CREATE FUNCTION people_second_factor_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- OLD is NULL on an insert and NEW on a delete; an update may move a row between people.
    UPDATE people p
    SET has_second_factor = EXISTS (
            SELECT 1 FROM totp_authenticators t
            WHERE t.person_id = p.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM passkeys k WHERE k.person_id = p.id)
    WHERE p.id IN (OLD.person_id, NEW.person_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER totp_authenticators_second_factor
AFTER INSERT OR DELETE OR UPDATE OF person_id, confirmed_at ON totp_authenticators
FOR EACH ROW EXECUTE FUNCTION people_second_factor_refresh();

CREATE TRIGGER passkeys_second_factor
AFTER INSERT OR DELETE OR UPDATE OF person_id ON passkeys
FOR EACH ROW EXECUTE FUNCTION people_second_factor_refresh();

UPDATE people p
SET has_second_factor = true
WHERE EXISTS (
        SELECT 1 FROM totp_authenticators t
        WHERE t.person_id = p.id AND t.confirmed_at IS NOT NULL)
   OR EXISTS (SELECT 1 FROM passkeys k WHERE k.person_id = p.id);
