//! Webhooks' rules (INTEGRATION.md S17): which change is which event, how a message is signed
//! (Standard Webhooks 1.0), which targets may be called (the SSRF guard), and when a failed
//! delivery is tried again.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    time::Duration,
};

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::audit::Action;

/// The event a recorded change is announced as; `None` for what is not announced (a refused
/// accept, a plan change, a re-send).
pub fn event_type(action: Action) -> Option<&'static str> {
    match action {
        Action::InvitationSent => Some("person.invited"),
        Action::InvitationAccepted => Some("person.accepted"),
        Action::InvitationDeclined => Some("person.declined"),
        Action::AccessEdited => Some("access.changed"),
        Action::AccessDeleted | Action::AccessExpired => Some("access.removed"),
        Action::OwnershipTransferred => Some("ownership.transferred"),
        Action::InvitationResent
        | Action::AcceptRefusedWrongPerson
        | Action::AcceptRefusedExpired
        | Action::AcceptRefusedUsed
        | Action::PlanChanged
        | Action::TwoFactorRequirementChanged => None,
    }
}

/// Every event, as the webhooks page lists them.
pub const EVENTS: [&str; 6] = [
    "person.invited",
    "person.accepted",
    "person.declined",
    "access.changed",
    "access.removed",
    "ownership.transferred",
];

/// What a signing secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// The key bytes of a `whsec_…` secret; `None` for anything else.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    (key.len() >= 24 && key.len() <= 64).then_some(key)
}

/// `whsec_` and the base64 of 32 random bytes.
pub fn secret_of(random: &[u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Why a target URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetError {
    /// Not a URL we can call: no host, userinfo, a fragment, spaces, over 2,048 characters.
    Malformed,
    /// `http://` (only `https://` unless WEBHOOK_ALLOW_PRIVATE).
    NotHttps,
    /// The host is, or resolves to, a loopback, private, link-local or otherwise internal
    /// address.
    Private,
    /// The host does not resolve.
    Unresolved,
}

/// A target's parts: its scheme, host (brackets kept off an IPv6 literal) and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

/// The target's scheme, host and port, or why it cannot be one. The URL is parsed here,
/// strictly, so that what is checked is what is called.
pub fn parse_target(url: &str, allow_private: bool) -> Result<Target, TargetError> {
    if url.len() > 2048 || !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains('#') {
        return Err(TargetError::Malformed);
    }
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(TargetError::Malformed);
    };
    if !https && !allow_private {
        return Err(TargetError::NotHttps);
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains(['@', '\\']) {
        return Err(TargetError::Malformed);
    }
    let default_port = if https { 443 } else { 80 };
    let (host, port) = if let Some(inside) = authority.strip_prefix('[') {
        let (host, after) = inside.split_once(']').ok_or(TargetError::Malformed)?;
        let port = match after {
            "" => default_port,
            _ => parse_port(after.strip_prefix(':').ok_or(TargetError::Malformed)?)?,
        };
        host.parse::<Ipv6Addr>()
            .map_err(|_| TargetError::Malformed)?;
        (host.to_owned(), port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host.to_owned(), parse_port(port)?),
            None => (authority.to_owned(), default_port),
        }
    };
    let host = host.to_ascii_lowercase();
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        || host.parse::<IpAddr>().is_ok();
    if !host_ok {
        return Err(TargetError::Malformed);
    }
    if !allow_private && (host == "localhost" || host.ends_with(".localhost")) {
        return Err(TargetError::Private);
    }
    Ok(Target { https, host, port })
}

fn parse_port(text: &str) -> Result<u16, TargetError> {
    text.parse::<u16>()
        .ok()
        .filter(|port| *port > 0 && port.to_string() == text)
        .ok_or(TargetError::Malformed)
}

/// Whether a webhook may be sent to this address: a public unicast one. Loopback, private
/// (RFC 1918, unique local), link-local, carrier-grade NAT, documentation, benchmarking,
/// multicast, broadcast, unspecified and IPv4-mapped forms of these are not.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || first & 0xfe00 == 0xfc00 // unique local
                    || first & 0xffc0 == 0xfe80 // link-local
                    || first & 0xffc0 == 0xfec0 // site-local
                    || first == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                    || first == 0x0064 && v6.segments()[1] == 0xff9b // NAT64
                    || first == 0x2002) // 6to4: wraps any IPv4 address
            }
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_multicast()
        || a == 0
        || a == 100 && (64..128).contains(&b) // carrier-grade NAT
        || a == 192 && b == 0 && c == 0 // IETF protocol assignments
        || a == 198 && (b == 18 || b == 19) // benchmarking
        || a >= 240)
}

/// How long after the `attempt`-th failure (from 1) the next try comes, per Standard Webhooks'
/// schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; `None` once they are spent (27 h in all),
/// and the delivery has failed.
pub fn retry_after(attempt: i32) -> Option<Duration> {
    const SCHEDULE: [u64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
    usize::try_from(attempt - 1)
        .ok()
        .and_then(|i| SCHEDULE.get(i))
        .map(|seconds| Duration::from_secs(*seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks specification.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_eq!(secret_key("whsec_short"), None);
        assert_eq!(secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), None);
        assert!(secret_key(&secret_of(&[7; 32])).is_some());
    }

    #[test]
    fn only_public_https_targets_are_called() {
        assert_eq!(
            parse_target("https://hooks.example.com/in?x=1", false),
            Ok(Target {
                https: true,
                host: "hooks.example.com".into(),
                port: 443
            })
        );
        assert_eq!(
            parse_target("http://hooks.example.com/", false),
            Err(TargetError::NotHttps)
        );
        assert!(parse_target("http://127.0.0.1:9/", true).is_ok());
        for bad in [
            "ftp://example.com/",
            "https://",
            "https://user@example.com/",
            "https://example.com/#x",
            "https://exa mple.com/",
            "https://example.com:0/",
            "https://example.com:99999/",
            "https://[::1/",
            "https://ex_ample.com/",
            "https://example..com/",
            "https:\\\\example.com",
        ] {
            assert!(parse_target(bad, true).is_err(), "{bad}");
        }
        assert_eq!(
            parse_target("https://LOCALHOST/", false),
            Err(TargetError::Private)
        );
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2002:7f00:1::",
            "224.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        assert_eq!(retry_after(1), Some(Duration::from_secs(5)));
        assert_eq!(retry_after(7), Some(Duration::from_secs(36_000)));
        assert_eq!(retry_after(8), None);
        assert_eq!(retry_after(0), None);
        let total: u64 = (1..=7).map(|a| retry_after(a).unwrap().as_secs()).sum();
        assert!(total > 24 * 3600, "{total}");
    }

    #[test]
    fn every_event_has_a_change_behind_it() {
        for event in EVENTS {
            assert!(
                Action::ALL
                    .into_iter()
                    .any(|a| event_type(a) == Some(event)),
                "{event}"
            );
        }
    }
}
