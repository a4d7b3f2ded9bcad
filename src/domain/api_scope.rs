//! What a personal access token may be used for (INTEGRATION.md S16): its scopes, and how long
//! it lives. A scope narrows the token below its person's own rights, never beyond them.

use std::{fmt, time::Duration};

/// A scope, as the token form offers it and the API checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// List and show the people with access.
    PeopleRead,
    /// Invite, edit, delete access and re-send.
    PeopleWrite,
    /// Read the account's activity log.
    ActivityRead,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::PeopleRead, Scope::PeopleWrite, Scope::ActivityRead];

    pub fn code(self) -> &'static str {
        match self {
            Scope::PeopleRead => "people:read",
            Scope::PeopleWrite => "people:write",
            Scope::ActivityRead => "activity:read",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.code() == code)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The scopes stored for a token, in the catalogue's order, each once; unknown codes (from a
/// later version) are left out, so they grant nothing.
pub fn scopes_of(codes: &[String]) -> Vec<Scope> {
    Scope::ALL
        .into_iter()
        .filter(|scope| codes.iter().any(|code| code == scope.code()))
        .collect()
}

/// How long a new token lives, as the form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    Days(u16),
    /// Until revoked (or until its person's access ends).
    NoExpiry,
}

impl Lifetime {
    pub const OFFERED: [Lifetime; 5] = [
        Lifetime::Days(7),
        Lifetime::Days(30),
        Lifetime::Days(90),
        Lifetime::Days(365),
        Lifetime::NoExpiry,
    ];
    /// What the form selects first: long enough for a script, short enough to be renewed.
    pub const DEFAULT: Lifetime = Lifetime::Days(30);

    pub fn code(self) -> String {
        match self {
            Lifetime::Days(days) => days.to_string(),
            Lifetime::NoExpiry => "never".to_owned(),
        }
    }

    /// One of the offered lifetimes, by its code; nothing else.
    pub fn parse(code: &str) -> Option<Lifetime> {
        Lifetime::OFFERED
            .into_iter()
            .find(|lifetime| lifetime.code() == code)
    }

    pub fn duration(self) -> Option<Duration> {
        match self {
            Lifetime::Days(days) => Some(Duration::from_secs(u64::from(days) * 86_400)),
            Lifetime::NoExpiry => None,
        }
    }
}

/// Why a token cannot be made as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRequestError {
    NoScope,
    UnknownScope,
    UnknownLifetime,
}

/// The scopes ticked on the form: at least one, each known.
pub fn parse_scopes(codes: &[String]) -> Result<Vec<Scope>, TokenRequestError> {
    let mut scopes = Vec::new();
    for code in codes {
        let scope = Scope::parse(code).ok_or(TokenRequestError::UnknownScope)?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(TokenRequestError::NoScope);
    }
    scopes.sort();
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_known_codes_each_once_and_at_least_one() {
        let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_scopes(&codes(&["activity:read", "people:read", "people:read"])),
            Ok(vec![Scope::PeopleRead, Scope::ActivityRead])
        );
        assert_eq!(parse_scopes(&[]), Err(TokenRequestError::NoScope));
        for bad in ["people:admin", "PEOPLE:READ", "people:read ", ""] {
            assert_eq!(
                parse_scopes(&codes(&[bad])),
                Err(TokenRequestError::UnknownScope),
                "{bad:?}"
            );
        }
        assert_eq!(
            scopes_of(&codes(&["people:write", "later:scope"])),
            vec![Scope::PeopleWrite]
        );
    }

    #[test]
    fn only_offered_lifetimes_are_taken() {
        assert_eq!(Lifetime::parse("30"), Some(Lifetime::Days(30)));
        assert_eq!(Lifetime::parse("never"), Some(Lifetime::NoExpiry));
        for bad in ["31", "-1", "0", "3650", "", "Never"] {
            assert_eq!(Lifetime::parse(bad), None, "{bad:?}");
        }
        assert_eq!(
            Lifetime::Days(7).duration(),
            Some(Duration::from_secs(7 * 86_400))
        );
        assert_eq!(Lifetime::NoExpiry.duration(), None);
    }
}
