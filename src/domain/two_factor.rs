//! Two-factor authentication's rules (issue 22): what a person may type as their second
//! factor, the recovery codes' form, and when an authenticator's code is accepted.

use totp_rs::{Algorithm, Builder, Totp};

/// Seeds are 160 bits, as RFC 4226 recommends and every authenticator app reads.
pub const SEED_BYTES: usize = 20;
/// Single-use recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;
/// Each recovery code carries 80 random bits: 16 characters of base32.
pub const RECOVERY_CODE_BYTES: usize = 10;
/// How long a sign-in waits for its second factor after the password.
pub const SECOND_STEP_MINUTES: i64 = 10;

/// Crockford's base32 alphabet, lower case: no i, l, o or u to mistake for 1, 0 or v.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// What a person typed where the second factor is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from the authenticator app.
    Code(String),
    /// One of the recovery codes, without its dashes and in lower case.
    RecoveryCode(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecondFactorError {
    #[error("nothing typed")]
    Empty,
    #[error("neither six digits nor a recovery code")]
    Malformed,
}

impl SecondFactor {
    /// Spaces and dashes are ignored, as apps show "123 456" and the codes "abcd-…"; a recovery
    /// code is read in any case, and Crockford's look-alikes (i, l, o) as the digits they stand
    /// for.
    pub fn parse(input: &str) -> Result<SecondFactor, SecondFactorError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(SecondFactorError::Empty);
        }
        if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(SecondFactor::Code(compact));
        }
        if compact.chars().count() != RECOVERY_CODE_BYTES * 8 / 5 {
            return Err(SecondFactorError::Malformed);
        }
        compact
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                'i' | 'l' => Some('1'),
                'o' => Some('0'),
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
                _ => None,
            })
            .collect::<Option<String>>()
            .map(SecondFactor::RecoveryCode)
            .ok_or(SecondFactorError::Malformed)
    }
}

/// A recovery code as shown to the person, `xxxx-xxxx-xxxx-xxxx`, from 80 random bits. What is
/// stored is the hash of its form without dashes, which [`SecondFactor::parse`] gives back.
pub fn recovery_code(random: &[u8; RECOVERY_CODE_BYTES]) -> String {
    let mut bits: u128 = 0;
    for byte in random {
        bits = (bits << 8) | u128::from(*byte);
    }
    let mut code = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        let shift = 75 - 5 * i;
        code.push(char::from(ALPHABET[((bits >> shift) & 31) as usize]));
    }
    code
}

/// The recovery code without its dashes: what is hashed and stored.
pub fn recovery_code_key(shown: &str) -> String {
    shown.replace('-', "")
}

/// An authenticator's codes: RFC 6238's defaults (SHA-1, six digits, 30 s), which every app
/// reads, accepting the step before and after for clocks that drift.
pub fn authenticator(seed: Vec<u8>, issuer: &str, email: &str) -> Totp {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(seed)
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(email.replace(':', " "))
        .build_noncompliant()
}

/// The step `code` was made for, when it is right at `unix_seconds` and newer than the last one
/// accepted: a code seen once, or an older one, never works again (RFC 6238, 5.2).
pub fn accepted_step(totp: &Totp, code: &str, unix_seconds: u64, last_step: u64) -> Option<u64> {
    totp.check(code, unix_seconds)
        .filter(|step| *step > last_step)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" at 59 s gives 94287082
    /// in eight digits, so 287082 in six.
    #[test]
    fn codes_match_rfc_6238s_test_vector() {
        let totp = authenticator(
            b"12345678901234567890".to_vec(),
            "Account sharing",
            "a@x.io",
        );
        assert_eq!(totp.generate(59).to_string(), "287082");
        assert_eq!(totp.generate(1111111109).to_string(), "081804");
    }

    #[test]
    fn a_code_works_in_its_step_and_the_neighbours_and_only_once() {
        let totp = authenticator(vec![7; SEED_BYTES], "Account sharing", "a@x.io");
        let now = 1_800_000_000;
        let code = totp.generate(now).to_string();
        let step = now / 30;
        assert_eq!(accepted_step(&totp, &code, now, 0), Some(step));
        assert_eq!(accepted_step(&totp, &code, now + 30, 0), Some(step));
        assert_eq!(accepted_step(&totp, &code, now - 30, 0), Some(step));
        assert_eq!(accepted_step(&totp, &code, now + 90, 0), None);
        // Once accepted, the same code, and any older one, is refused.
        assert_eq!(accepted_step(&totp, &code, now, step), None);
        let older = totp.generate(now - 30).to_string();
        assert_eq!(accepted_step(&totp, &older, now, step), None);
        assert_eq!(accepted_step(&totp, "000000x", now, 0), None);
    }

    #[test]
    fn the_otpauth_uri_names_the_service_and_the_person() {
        let totp = authenticator(vec![1; SEED_BYTES], "Account sharing", "ann@example.com");
        let uri = totp.to_url().unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Account%20sharing:ann%40example.com?"),
            "{uri}"
        );
        assert!(uri.contains("issuer=Account%20sharing"), "{uri}");
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let shown = recovery_code(&[0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
        let key = recovery_code_key(&shown);
        for typed in [
            shown.clone(),
            shown.to_uppercase(),
            format!("  {} ", shown.replace('-', " ")),
            key.clone(),
        ] {
            assert_eq!(
                SecondFactor::parse(&typed),
                Ok(SecondFactor::RecoveryCode(key.clone())),
                "{typed}"
            );
        }
        assert_ne!(recovery_code(&[0; 10]), recovery_code(&[1; 10]));
    }

    #[test]
    fn crockfords_look_alikes_read_as_digits() {
        assert_eq!(
            SecondFactor::parse("IlO0-0000-0000-0000"),
            Ok(SecondFactor::RecoveryCode("1100000000000000".into()))
        );
    }

    #[test]
    fn six_digits_are_a_code_and_everything_else_is_refused_in_words() {
        assert_eq!(
            SecondFactor::parse(" 123 456 "),
            Ok(SecondFactor::Code("123456".into()))
        );
        for (typed, error) in [
            ("", SecondFactorError::Empty),
            ("  - ", SecondFactorError::Empty),
            ("12345", SecondFactorError::Malformed),
            ("1234567", SecondFactorError::Malformed),
            ("١٢٣٤٥٦", SecondFactorError::Malformed),
            ("abcd-efgh-jkmn-pqr", SecondFactorError::Malformed),
            ("abcd-efgh-jkmn-pqru", SecondFactorError::Malformed),
            ("abcd-efgh-jkmn-pqré", SecondFactorError::Malformed),
            ("' OR 1=1 --", SecondFactorError::Malformed),
        ] {
            assert_eq!(SecondFactor::parse(typed), Err(error), "{typed}");
        }
    }
}
