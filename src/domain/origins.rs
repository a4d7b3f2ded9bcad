//! The email platform's origins (PLATFORM_ORIGINS, INTEGRATION.md S15): the only places outside
//! this service that a sign-in may send a person back to. A URL is compared by its origin,
//! written exactly as the list writes it: anything a browser could read as another host (a
//! userinfo `@`, a backslash, a scheme in capitals, a control character) is no platform URL.

use std::fmt;

/// `https://app.example.com` or `https://app.example.com:8443`: a scheme, a lower-case host and
/// an optional port, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Production accepts https:// origins only.
    HttpsOnly,
    /// Development also accepts http://, for a platform on a developer's machine.
    HttpAllowed,
}

impl Origin {
    pub fn parse(text: &str, schemes: Scheme) -> Result<Origin, String> {
        let text = text.trim();
        let authority = match (text.strip_prefix("https://"), text.strip_prefix("http://")) {
            (Some(authority), _) => authority,
            (None, Some(authority)) if schemes == Scheme::HttpAllowed => authority,
            (None, Some(_)) => {
                return Err(format!("{text:?}: only https:// origins in production"));
            }
            _ => {
                return Err(format!(
                    "{text:?} is not an origin such as https://app.example.com"
                ));
            }
        };
        let authority = authority.strip_suffix('/').unwrap_or(authority);
        if !valid_authority(authority) {
            return Err(format!(
                "{text:?} is not an origin such as https://app.example.com (a scheme, a lower-case \
                 host, an optional port; no path)"
            ));
        }
        Ok(Origin(text.trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A host of lower-case letters, digits, dots and hyphens (or an IPv6 address in brackets), and
/// an optional port of digits.
fn valid_authority(authority: &str) -> bool {
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        inner.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.ends_with('-')
            && !host.contains("..")
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    };
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
    });
    host_ok && port_ok
}

/// `url` when it is an absolute URL on one of `origins`: its scheme and authority equal to one
/// of them, followed by nothing or a path, a query or a fragment, all of printable ASCII with
/// no backslash.
pub fn on_platform<'a>(url: &'a str, origins: &[Origin]) -> Option<&'a str> {
    if !url.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return None;
    }
    origins.iter().find_map(|origin| {
        let rest = url.strip_prefix(origin.as_str())?;
        (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(url)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins() -> Vec<Origin> {
        vec![
            Origin::parse("https://app.example.com", Scheme::HttpsOnly).unwrap(),
            Origin::parse("https://api.example.com:8443/", Scheme::HttpsOnly).unwrap(),
        ]
    }

    #[test]
    fn origins_are_a_scheme_a_host_and_a_port() {
        assert_eq!(origins()[1].as_str(), "https://api.example.com:8443");
        for bad in [
            "app.example.com",
            "https://",
            "https://app.example.com/path",
            "https://App.Example.com",
            "https://user@app.example.com",
            "https://app.example.com:",
            "https://app.example.com:80a",
            "https://app..example.com",
            "ftp://app.example.com",
            "https://app.example.com?x",
        ] {
            assert!(Origin::parse(bad, Scheme::HttpAllowed).is_err(), "{bad}");
        }
        assert!(Origin::parse("http://127.0.0.1:8081", Scheme::HttpsOnly).is_err());
        assert!(Origin::parse("http://127.0.0.1:8081", Scheme::HttpAllowed).is_ok());
        assert!(Origin::parse("https://[::1]:8443", Scheme::HttpsOnly).is_ok());
    }

    #[test]
    fn only_urls_on_a_listed_origin_are_platform_urls() {
        let origins = origins();
        for url in [
            "https://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/accounts/42/campaigns?page=2#top",
            "https://api.example.com:8443/v3/send",
        ] {
            assert_eq!(on_platform(url, &origins), Some(url), "{url}");
        }
        for url in [
            "https://app.example.com@evil.test/",
            "https://app.example.com.evil.test/",
            "https://app.example.com:443/",
            "https://app.example.comx/",
            "https://api.example.com/",
            "HTTPS://app.example.com/",
            "Https://app.example.com/",
            "http://app.example.com/",
            "https://app.example.com\\@evil.test",
            "https://app.example.com/\t/x",
            "https://app.example.com/caf\u{e9}",
            "//app.example.com/",
            "https://evil.test/https://app.example.com/",
            "javascript:alert(1)//https://app.example.com",
            "",
        ] {
            assert_eq!(on_platform(url, &origins), None, "{url:?}");
        }
    }
}
