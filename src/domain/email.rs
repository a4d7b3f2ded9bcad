//! Email addresses in their canonical form, the only form ever stored or compared (R24).

use std::fmt;

/// Longest address accepted, in bytes, after the domain is converted to punycode (RFC 5321).
pub const MAX_LENGTH: usize = 254;
const MAX_LOCAL_LENGTH: usize = 64;

/// A syntactically valid address: trimmed, ASCII local part lower-cased, domain lower-cased
/// punycode. Two people typing the same address differently get the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("empty")]
    Empty,
    #[error("longer than {MAX_LENGTH} bytes")]
    TooLong,
    #[error("contains control or invisible characters")]
    InvisibleCharacters,
    #[error("not exactly one @")]
    NotOneAt,
    #[error("local part is empty, too long or has characters outside a-z 0-9 and symbols")]
    InvalidLocalPart,
    #[error("domain is an IP address")]
    IpDomain,
    #[error("domain is not a valid internet domain")]
    InvalidDomain,
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        // Checked before any conversion so that a megabyte of input costs nothing more.
        if trimmed.len() > MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(is_invisible_or_control) {
            return Err(EmailError::InvisibleCharacters);
        }
        let mut parts = trimmed.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::NotOneAt);
        };
        if !is_dot_atom(local, MAX_LOCAL_LENGTH) {
            return Err(EmailError::InvalidLocalPart);
        }
        let domain = canonical_domain(domain)?;
        let canonical = format!("{}@{}", local.to_ascii_lowercase(), domain);
        if canonical.len() > MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        Ok(EmailAddress(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the @, used to spot passwords built from the address.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Characters that make an address look like another one, or smuggle headers: controls (CR, LF,
/// NUL), bidirectional marks and overrides such as U+202E and U+061C, zero-width characters such
/// as U+200B, line and paragraph separators, and the invisible tag characters.
pub fn is_invisible_or_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}')
}

/// RFC 5322 dot-atom restricted to ASCII: quoted local parts and internationalised local parts are
/// refused because many mail relays cannot deliver them.
fn is_dot_atom(local: &str, max_len: usize) -> bool {
    const ATEXT_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~";
    !local.is_empty()
        && local.len() <= max_len
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(c))
        })
}

fn canonical_domain(domain: &str) -> Result<String, EmailError> {
    if domain.starts_with('[') || domain.parse::<std::net::IpAddr>().is_ok() {
        return Err(EmailError::IpDomain);
    }
    let ascii = idna::domain_to_ascii_strict(domain).map_err(|_| EmailError::InvalidDomain)?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let valid_labels = labels.iter().all(|label| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    // A single label ("localhost") cannot be reached from the internet; an all-digit top-level
    // label means a numeric address in disguise.
    let tld_is_name = labels
        .last()
        .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()));
    if labels.len() < 2 || !valid_labels || !tld_is_name || ascii.len() > 253 {
        return Err(EmailError::InvalidDomain);
    }
    Ok(ascii.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, EmailError> {
        EmailAddress::parse(s).map(|e| e.0)
    }

    #[test]
    fn trims_and_lowercases() {
        assert_eq!(parse(" A@B.CO "), Ok("a@b.co".into()));
        assert_eq!(
            parse("Jane.Doe+tag@Example.COM"),
            Ok("jane.doe+tag@example.com".into())
        );
    }

    #[test]
    fn converts_international_domains_to_punycode() {
        assert_eq!(parse("anna@bücher.de"), Ok("anna@xn--bcher-kva.de".into()));
        // A Cyrillic "а" makes a different domain, so it can never match the Latin one.
        let cyrillic = parse("u@exаmple.com").unwrap();
        assert!(cyrillic.starts_with("u@xn--"), "{cyrillic}");
        assert_ne!(cyrillic, "u@example.com");
        assert_eq!(parse("u@xn--bcher-kva.de"), Ok("u@xn--bcher-kva.de".into()));
    }

    #[test]
    fn refuses_bad_addresses_with_the_reason() {
        use EmailError::*;
        let cases: &[(&str, EmailError)] = &[
            ("", Empty),
            ("   ", Empty),
            ("a@@b.co", NotOneAt),
            ("ab.co", NotOneAt),
            ("a@b.co\r\nBcc:x@evil.test", InvisibleCharacters),
            ("a\0@b.co", InvisibleCharacters),
            ("a\u{202E}@b.co", InvisibleCharacters),
            ("a\u{200B}b@b.co", InvisibleCharacters),
            ("u@[127.0.0.1]", IpDomain),
            ("u@127.0.0.1", IpDomain),
            ("u@localhost", InvalidDomain),
            ("u@b..co", InvalidDomain),
            ("u@-b.co", InvalidDomain),
            ("u@b.123", InvalidDomain),
            ("u@xn--.com", InvalidDomain),
            ("mıke@b.co", InvalidLocalPart),
            ("ﬀ@b.co", InvalidLocalPart),
            ("用户@例子.广告", InvalidLocalPart),
            (".a@b.co", InvalidLocalPart),
            ("a..b@b.co", InvalidLocalPart),
            ("\"a b\"@b.co", InvalidLocalPart),
            ("@b.co", InvalidLocalPart),
            ("a@", InvalidDomain),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(*expected), "input {input:?}");
        }
    }

    #[test]
    fn enforces_lengths() {
        let local65 = "a".repeat(65);
        assert_eq!(
            parse(&format!("{local65}@b.co")),
            Err(EmailError::InvalidLocalPart)
        );
        let local64 = "a".repeat(64);
        assert!(parse(&format!("{local64}@b.co")).is_ok());
        let long_domain = format!("{}.com", vec!["d".repeat(60); 4].join("."));
        let address = format!("{local64}@{long_domain}");
        assert!(address.len() > MAX_LENGTH);
        assert_eq!(parse(&address), Err(EmailError::TooLong));
        assert_eq!(parse(&"a".repeat(1_000_000)), Err(EmailError::TooLong));
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        for input in [
            " A@B.CO ",
            "anna@BÜCHER.de",
            "x+y@sub.Example.org",
            "u@exаmple.com",
        ] {
            let once = parse(input).unwrap();
            assert_eq!(parse(&once), Ok(once.clone()), "input {input:?}");
        }
    }
}
