//! Cross-site request forgery defences (R20): a synchronizer token in every form, checked by the
//! `Form` extractor, and this check of where a state-changing request comes from.

use actix_web::{
    Error,
    body::{BoxBody, EitherBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};

use crate::error::AppError;

/// Refuses unsafe methods sent by another site, whatever token they carry: `Sec-Fetch-Site:
/// cross-site` from browsers that send it, a foreign `Origin` from those that send that.
pub async fn reject_cross_site(
    expected_origin: String,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
        let verdict = origin_verdict(header("origin"), header("sec-fetch-site"), &expected_origin);
        if let Some(reason) = verdict {
            return Ok(req
                .error_response(AppError::CsrfRejected(reason))
                .map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Why a request with these headers comes from elsewhere, or `None` when it may be ours.
/// Browsers send `Origin: null` on their own forms when the page's Referrer-Policy is
/// `no-referrer` (as ours is, R11), so `null` is accepted only when `Sec-Fetch-Site` vouches for
/// it; the CSRF token is checked in every case anyway.
fn origin_verdict(
    origin: Option<&str>,
    fetch_site: Option<&str>,
    expected_origin: &str,
) -> Option<&'static str> {
    match (origin, fetch_site) {
        (_, Some("cross-site" | "same-site")) => Some("Sec-Fetch-Site is another site"),
        (Some("null"), Some("same-origin")) => None,
        (Some("null"), _) => Some("Origin is null and nothing vouches for it"),
        (Some(origin), _) if origin != expected_origin => Some("Origin is not this service"),
        _ => None,
    }
}

/// `scheme://host[:port]` of the base URL: what browsers put in `Origin`.
pub fn origin_of(base_url: &str) -> String {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    let end = base_url[after_scheme..]
        .find('/')
        .map_or(base_url.len(), |i| after_scheme + i);
    base_url[..end].to_owned()
}

/// Compares without stopping at the first difference, so timing does not reveal how much of a
/// guessed token was right.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://share.example.com"),
            "https://share.example.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/app"),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn origin_checks() {
        let ours = "https://share.example.com";
        assert_eq!(origin_verdict(None, None, ours), None);
        assert_eq!(origin_verdict(Some(ours), Some("same-origin"), ours), None);
        assert_eq!(
            origin_verdict(Some("null"), Some("same-origin"), ours),
            None
        );
        assert_eq!(origin_verdict(None, Some("none"), ours), None);
        assert!(origin_verdict(Some("null"), None, ours).is_some());
        assert!(origin_verdict(Some("https://evil.test"), None, ours).is_some());
        assert!(origin_verdict(Some(ours), Some("cross-site"), ours).is_some());
        assert!(origin_verdict(None, Some("same-site"), ours).is_some());
        assert!(origin_verdict(Some("https://share.example.com.evil.test"), None, ours).is_some());
    }

    #[test]
    fn tokens_match_only_when_equal() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "abcd"));
        assert!(!tokens_match("", "a"));
    }
}
