//! What makes a password acceptable when someone chooses one (R21).

use crate::domain::email::EmailAddress;

pub const MIN_PASSWORD_CHARS: usize = 8;
/// Long enough for any passphrase or password manager, short enough that hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords that appear at the top of every leaked-password list.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyui",
    "qwerty123",
    "11111111",
    "iloveyou",
    "abc12345",
    "letmein1",
    "welcome1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "admin123",
    "passw0rd",
    "00000000",
    "87654321",
    "trustno1",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("shorter than {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("longer than {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("a commonly used password")]
    Common,
    #[error("built from the email address")]
    SameAsEmail,
}

/// A password that passed the rules; its text is only ever handed to the hasher.
pub struct NewPassword(String);

impl NewPassword {
    /// `email` is the address the password is for, when it is known to be valid; the other rules
    /// apply without it, so a form can report every problem at once.
    pub fn parse(input: &str, email: Option<&EmailAddress>) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lowered = input.to_lowercase();
        if COMMON_PASSWORDS.contains(&lowered.as_str()) {
            return Err(PasswordError::Common);
        }
        if email.is_some_and(|email| lowered == email.as_str() || lowered == email.local_part()) {
            return Err(PasswordError::SameAsEmail);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Option<&'static EmailAddress> {
        static EMAIL: std::sync::LazyLock<EmailAddress> =
            std::sync::LazyLock::new(|| EmailAddress::parse("jane.doe@example.com").unwrap());
        Some(&EMAIL)
    }

    #[test]
    fn accepts_reasonable_passwords_including_long_passphrases() {
        assert!(NewPassword::parse("correct horse", email()).is_ok());
        assert!(NewPassword::parse(&"p".repeat(MAX_PASSWORD_CHARS), email()).is_ok());
        assert!(NewPassword::parse("été à Noël!", email()).is_ok());
    }

    #[test]
    fn refuses_weak_or_oversized_passwords() {
        assert_eq!(
            NewPassword::parse("short", email()).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            NewPassword::parse(&"p".repeat(MAX_PASSWORD_CHARS + 1), email()).unwrap_err(),
            PasswordError::TooLong
        );
        assert_eq!(
            NewPassword::parse("Password1", email()).unwrap_err(),
            PasswordError::Common
        );
        assert_eq!(
            NewPassword::parse("Jane.Doe", email()).unwrap_err(),
            PasswordError::SameAsEmail
        );
        assert_eq!(
            NewPassword::parse("jane.doe@example.com", email()).unwrap_err(),
            PasswordError::SameAsEmail
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("correct horse", email()).unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
