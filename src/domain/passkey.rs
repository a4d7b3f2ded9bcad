//! Passkeys (issue 22): the rules around a WebAuthn ceremony that are the product's own. The
//! cryptography is webauthn-rs's, in `services::passkeys`.

/// Passkeys one person may keep: a laptop, a phone, a spare security key and then some. Every
/// ceremony that offers them all carries each one's id, so the list stays short.
pub const MAX_PASSKEYS: i64 = 10;

/// How long a ceremony waits for the browser's answer. WebAuthn's own timeout is given to the
/// browser as 5 minutes; this adds the time to send it.
pub const CEREMONY_SECONDS: i64 = 6 * 60;

/// The largest answer a browser sends for one ceremony that is taken in: a real one is under
/// 2 KB (a public key, a signature, two small JSON documents); past this, nothing is parsed.
pub const MAX_CREDENTIAL_BYTES: usize = 16 * 1024;

/// What the form's `credential` field holds, before any cryptography.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialField<'a> {
    /// Empty: the browser ran no script (WebAuthn has no form of its own), or the person
    /// pressed the button before the script was loaded.
    Missing,
    TooLarge,
    Given(&'a str),
}

impl<'a> CredentialField<'a> {
    pub fn of(value: &'a str) -> Self {
        let value = value.trim();
        if value.is_empty() {
            CredentialField::Missing
        } else if value.len() > MAX_CREDENTIAL_BYTES {
            CredentialField::TooLarge
        } else {
            CredentialField::Given(value)
        }
    }
}

/// Whether a host can be a WebAuthn relying party id: browsers take domain names only (an IP
/// address is refused by every one of them), and a name needs at least one letter.
pub fn can_be_relying_party(host: &str) -> bool {
    !host.is_empty()
        && host.parse::<std::net::IpAddr>().is_err()
        && !host.starts_with('[')
        && host.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_field_is_missing_too_large_or_given() {
        assert_eq!(CredentialField::of(""), CredentialField::Missing);
        assert_eq!(CredentialField::of(" \n"), CredentialField::Missing);
        assert_eq!(
            CredentialField::of(&"x".repeat(MAX_CREDENTIAL_BYTES + 1)),
            CredentialField::TooLarge
        );
        assert_eq!(CredentialField::of(" {} "), CredentialField::Given("{}"));
    }

    #[test]
    fn only_domain_names_can_be_relying_parties() {
        for host in ["localhost", "share.example.com", "xn--bcher-kva.example"] {
            assert!(can_be_relying_party(host), "{host}");
        }
        for host in ["127.0.0.1", "[::1]", "::1", "10.0.0.8", ""] {
            assert!(!can_be_relying_party(host), "{host}");
        }
    }
}
