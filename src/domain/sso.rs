//! Single sign-on's rules (issue 22): which issuers an owner may register, what a claimable email
//! domain is, and whether an ID token's address is the one signing in. Pure.

use super::email::EmailAddress;

/// Where an owner puts the TXT record that proves a domain theirs: a name of its own under the
/// domain, so it sits beside (not among) the domain's SPF and other TXT records.
pub fn dns_record_name(domain: &str) -> String {
    format!("_account-sharing.{domain}")
}

/// The TXT record's text: a label, then the owner's value.
pub fn dns_record_text(value: &str) -> String {
    format!("account-sharing-verification={value}")
}

/// Whether one of the TXT records found is the expected text. A record's strings are joined,
/// as RFC 7208 3.3 joins SPF's; quotes and surrounding spaces a DNS panel may add are ignored.
pub fn dns_record_found(records: &[String], expected: &str) -> bool {
    records
        .iter()
        .any(|record| record.trim().trim_matches('"').trim() == expected)
}

/// Longest issuer URL or client id kept.
const MAX_TEXT: usize = 500;

/// Why an issuer URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerError {
    Empty,
    TooLong,
    /// Not `https://`, nor `http://` to this very machine (a provider under test).
    NotHttps,
    /// A query, a fragment or a user name: an issuer is a plain URL (OpenID Connect Discovery 4).
    NotPlain,
}

/// An issuer as OpenID Connect Discovery has it: `https://` (or `http://` to loopback, for a
/// provider on this machine), no query, fragment or user, no trailing slash.
pub fn issuer_url(typed: &str) -> Result<String, IssuerError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(IssuerError::Empty);
    }
    if typed.len() > MAX_TEXT {
        return Err(IssuerError::TooLong);
    }
    if typed.contains(['?', '#', '@']) || typed.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(IssuerError::NotPlain);
    }
    let lower = typed.to_ascii_lowercase();
    let (https, rest) = match (
        lower.strip_prefix("https://"),
        lower.strip_prefix("http://"),
    ) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        _ => return Err(IssuerError::NotHttps),
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = if authority.starts_with("[::1]") {
        "[::1]"
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    if host.is_empty() || !(https || loopback) {
        return Err(IssuerError::NotHttps);
    }
    Ok(typed.trim_end_matches('/').to_owned())
}

/// Why a domain cannot be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainError {
    /// Not a domain that addresses can be at.
    Invalid,
    /// A domain shared by many people's mailboxes: nobody can claim it for an organisation.
    Public,
}

/// Mail providers whose addresses belong to the public, not to one organisation.
const PUBLIC_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "yandex.ru",
    "mail.ru",
];

/// A domain as addresses are compared at it (lower-case, punycode), when it can be claimed.
pub fn claimable_domain(typed: &str) -> Result<String, DomainError> {
    let typed = typed.trim().trim_start_matches('@');
    let domain = EmailAddress::parse(&format!("x@{typed}"))
        .map_err(|_| DomainError::Invalid)?
        .as_str()
        .trim_start_matches("x@")
        .to_owned();
    if PUBLIC_DOMAINS.contains(&domain.as_str()) {
        return Err(DomainError::Public);
    }
    Ok(domain)
}

/// The domain an address is at.
pub fn domain_of(address: &EmailAddress) -> &str {
    address
        .as_str()
        .rsplit_once('@')
        .map_or("", |(_, domain)| domain)
}

/// Whether an ID token's `email` is the address that started signing in.
pub fn same_address(claimed: &str, signing_in: &EmailAddress) -> bool {
    EmailAddress::parse(claimed).is_ok_and(|claimed| claimed == *signing_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_this_machine() {
        assert_eq!(
            issuer_url(" https://login.example.com/realms/acme/ ").unwrap(),
            "https://login.example.com/realms/acme"
        );
        assert_eq!(
            issuer_url("http://127.0.0.1:9400").unwrap(),
            "http://127.0.0.1:9400"
        );
        for (bad, error) in [
            ("", IssuerError::Empty),
            ("http://login.example.com", IssuerError::NotHttps),
            ("ftp://login.example.com", IssuerError::NotHttps),
            ("login.example.com", IssuerError::NotHttps),
            ("https://", IssuerError::NotHttps),
            ("https://login.example.com/?x=1", IssuerError::NotPlain),
            ("https://user@login.example.com", IssuerError::NotPlain),
            ("https://login.example.com/#a", IssuerError::NotPlain),
            ("https://login.example .com", IssuerError::NotPlain),
            ("http://127.0.0.1.evil.test", IssuerError::NotHttps),
        ] {
            assert_eq!(issuer_url(bad), Err(error), "{bad:?}");
        }
        assert_eq!(
            issuer_url(&format!("https://{}", "a".repeat(600))),
            Err(IssuerError::TooLong)
        );
    }

    #[test]
    fn an_organisation_claims_its_own_domain_not_a_public_one() {
        assert_eq!(claimable_domain(" @Acme.Example ").unwrap(), "acme.example");
        assert_eq!(
            claimable_domain("bücher.example").unwrap(),
            "xn--bcher-kva.example"
        );
        assert_eq!(claimable_domain("gmail.com"), Err(DomainError::Public));
        for bad in ["", "acme", "127.0.0.1", "a b.example", "acme.example/x"] {
            assert_eq!(claimable_domain(bad), Err(DomainError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn the_token_must_name_the_address_signing_in() {
        let ada = EmailAddress::parse("ada@acme.example").unwrap();
        assert_eq!(domain_of(&ada), "acme.example");
        assert!(same_address("Ada@ACME.example", &ada));
        assert!(!same_address("eve@acme.example", &ada));
        assert!(!same_address("not an address", &ada));
    }

    #[test]
    fn the_dns_record_is_found_among_others_whatever_its_quotes() {
        let expected = dns_record_text("abc");
        assert_eq!(expected, "account-sharing-verification=abc");
        assert_eq!(
            dns_record_name("acme.example"),
            "_account-sharing.acme.example"
        );
        let spf = "v=spf1 -all".to_owned();
        assert!(dns_record_found(
            &[spf.clone(), expected.clone()],
            &expected
        ));
        assert!(dns_record_found(&[format!(" \"{expected}\" ")], &expected));
        assert!(!dns_record_found(&[spf], &expected));
        assert!(!dns_record_found(&[dns_record_text("abd")], &expected));
        assert!(!dns_record_found(&[format!("{expected}x")], &expected));
        assert!(!dns_record_found(&[], &expected));
    }
}
