//! Names people type for themselves and for sub-accounts: shown in pages and in mail headers.

use crate::domain::email::is_invisible_or_control;

pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("empty")]
    Empty,
    #[error("longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("contains control or invisible characters")]
    InvisibleCharacters,
}

/// Trimmed, 1 to 100 characters, no line breaks or invisible characters: such names go into mail
/// subjects and display names, where a CR/LF could start a new header (R25).
fn parse_name(input: &str) -> Result<String, NameError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if trimmed.chars().any(is_invisible_or_control) {
        return Err(NameError::InvisibleCharacters);
    }
    Ok(trimmed.to_owned())
}

/// What a person is called on the pages and in the mail we send about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        parse_name(input).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a sub-account, unique within its master account (the database enforces that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAccountName(String);

impl SubAccountName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        parse_name(input).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name a person gives a personal access token: what it is for ("deploy script").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        parse_name(input).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name a person gives a passkey: where it lives ("work laptop", "phone").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(String);

impl PasskeyName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        parse_name(input).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_people_type_but_trims() {
        assert_eq!(
            DisplayName::parse("  Ada Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
        // Markup is just text here; templates escape it when they show it.
        assert_eq!(
            SubAccountName::parse("<script>").unwrap().as_str(),
            "<script>"
        );
        assert_eq!(
            SubAccountName::parse("{{7*7}}").unwrap().as_str(),
            "{{7*7}}"
        );
    }

    #[test]
    fn refuses_empty_long_and_header_breaking_names() {
        assert_eq!(DisplayName::parse("   "), Err(NameError::Empty));
        assert_eq!(
            DisplayName::parse(&"x".repeat(101)),
            Err(NameError::TooLong)
        );
        assert!(DisplayName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(
            DisplayName::parse("X\r\nBcc: a@evil.test"),
            Err(NameError::InvisibleCharacters)
        );
        for hidden in [
            "\u{202E}",
            "\u{061C}",
            "\u{200B}",
            "\u{2028}",
            "\u{2066}",
            "\u{FEFF}",
            "\u{E0041}",
            "\0",
        ] {
            assert_eq!(
                SubAccountName::parse(&format!("a{hidden}b")),
                Err(NameError::InvisibleCharacters),
                "{hidden:?}"
            );
        }
        assert!(SubAccountName::parse("Café – Zürich 東京 🙂").is_ok());
        assert_eq!(
            SubAccountName::parse(&"x".repeat(10_000)),
            Err(NameError::TooLong)
        );
    }
}
