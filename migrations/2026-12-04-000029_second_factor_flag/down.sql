DROP TRIGGER passkeys_second_factor ON passkeys;
DROP TRIGGER totp_authenticators_second_factor ON totp_authenticators;
DROP FUNCTION people_second_factor_refresh();
ALTER TABLE people DROP COLUMN has_second_factor;
