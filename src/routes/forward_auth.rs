//! `/auth/forward` (INTEGRATION.md S15): asked by nginx `auth_request`, Traefik `forwardAuth` or
//! Caddy `forward_auth` before every request of the email platform. The answer is in the
//! status: 200 lets the request through with who the person is in `Remote-*` headers, 401 asks
//! them to sign in, 403 refuses with a one-line reason.

use std::net::IpAddr;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        StatusCode,
        header::{self, HeaderMap, HeaderName, HeaderValue},
    },
    web,
};

use crate::{
    config::Environment,
    domain::{
        forward_rules::{Needed, Request, Unmatched},
        origins,
        vocabulary::Permission,
    },
    error::AppError,
    metrics::Decision,
    services::gate::{self, Admitted, Question, Subject, Verdict},
    state::AppState,
    web::session_store,
};

/// The longest URL a proxy may forward; longer ones are refused (and never logged).
const MAX_URL_BYTES: usize = 8 * 1024;

/// The request the proxy asks about, as its headers describe it.
#[derive(Debug, PartialEq, Eq)]
struct Forwarded {
    method: String,
    /// `https://app.example.com:8443/accounts/42?x=1`, as the browser asked for it.
    url: String,
    /// Without the port: rules name hosts.
    host: String,
    path: String,
    /// nginx's `X-Original-URL`: nginx cannot pass a redirect through `auth_request`, so a
    /// sign-in is asked for with 401 and a `Location` its `error_page` follows.
    nginx: bool,
}

/// One header, present once, of visible ASCII.
fn single<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, String> {
    let mut values = headers.get_all(name);
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(format!("{name} was sent more than once"));
    }
    let text = first
        .to_str()
        .ok()
        .filter(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| format!("{name} is not a single value of visible ASCII"))?;
    if text.len() > MAX_URL_BYTES {
        return Err(format!("{name} is longer than {MAX_URL_BYTES} bytes"));
    }
    Ok(Some(text))
}

fn required<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, String> {
    single(headers, name)?.ok_or_else(|| format!("{name} is missing"))
}

fn method(text: &str) -> Result<String, String> {
    if text.len() <= 16 && text.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(text.to_owned())
    } else {
        Err(format!("{text:?} is not an HTTP method"))
    }
}

/// `app.example.com`, `app.example.com:8443` or `[::1]:8443`, lower-cased; the host without its
/// port.
fn host_of(authority: &str) -> Result<String, String> {
    let not_a_host = || format!("{authority:?} is not a host");
    let lower = authority.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix('[') {
        let (inner, after) = rest.split_once(']').ok_or_else(not_a_host)?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(port);
        if !port_ok || inner.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(not_a_host());
        }
        return Ok(format!("[{inner}]"));
    }
    let host = match lower.split_once(':') {
        Some((host, p)) if port(p) => host,
        Some(_) => return Err(not_a_host()),
        None => lower.as_str(),
    };
    let name_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if name_ok {
        Ok(host.to_owned())
    } else {
        Err(not_a_host())
    }
}

fn port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The path alone: what comes before the query or fragment.
fn path_of(uri: &str) -> &str {
    uri.split(['?', '#']).next().unwrap_or_default()
}

/// Reads the forwarded request from nginx's headers, or else Traefik's and Caddy's.
fn forwarded(headers: &HeaderMap) -> Result<Forwarded, String> {
    if let Some(url) = single(headers, "x-original-url")? {
        let method = method(required(headers, "x-original-method")?)?;
        let (scheme, rest) = url
            .split_once("://")
            .filter(|(scheme, _)| matches!(*scheme, "http" | "https"))
            .ok_or("X-Original-URL is not an absolute http(s) URL")?;
        let (authority, uri) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => return Err("X-Original-URL has no path".into()),
        };
        let host = host_of(authority)?;
        return Ok(Forwarded {
            method,
            url: format!("{scheme}://{authority}{uri}"),
            host,
            path: path_of(uri).to_owned(),
            nginx: true,
        });
    }
    let method = method(required(headers, "x-forwarded-method")?)?;
    let proto = required(headers, "x-forwarded-proto")?;
    if !matches!(proto, "http" | "https") {
        return Err(format!(
            "X-Forwarded-Proto {proto:?} is neither http nor https"
        ));
    }
    let authority = required(headers, "x-forwarded-host")?;
    let host = host_of(authority)?;
    let uri = required(headers, "x-forwarded-uri")?;
    if !uri.starts_with('/') {
        return Err("X-Forwarded-Uri does not start with /".into());
    }
    Ok(Forwarded {
        method,
        url: format!("{proto}://{authority}{uri}"),
        host,
        path: path_of(uri).to_owned(),
        nginx: false,
    })
}

fn plain(status: StatusCode, reason: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("X-Sharing-Reason", reason))
        .content_type("text/plain; charset=utf-8")
        .body(reason)
}

fn refused(reason: &'static str) -> HttpResponse {
    plain(StatusCode::FORBIDDEN, reason)
}

/// Proxies whose forwarded headers are believed: TRUSTED_PROXIES, and loopback in development.
fn trusted(state: &AppState, peer: Option<IpAddr>) -> bool {
    peer.is_some_and(|ip| {
        state
            .settings
            .trusted_proxies
            .iter()
            .any(|net| net.contains(ip))
            || (state.settings.environment == Environment::Development && ip.is_loopback())
    })
}

pub async fn check(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let answer = decide(&req, &state).await?;
    let decision = match answer.status() {
        StatusCode::OK => Some(Decision::Allowed),
        StatusCode::FORBIDDEN => Some(Decision::Refused),
        StatusCode::UNAUTHORIZED | StatusCode::FOUND => Some(Decision::Unauthenticated),
        // Unusable headers: the proxy's mistake, not a decision about anyone.
        _ => None,
    };
    if let Some(decision) = decision {
        state.metrics.forward_auth(decision);
    }
    Ok(answer)
}

async fn decide(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, AppError> {
    if !trusted(state, req.peer_addr().map(|addr| addr.ip())) {
        return Ok(refused(
            "This address is not a trusted proxy (TRUSTED_PROXIES), so its forwarded headers are not believed.",
        ));
    }
    let forwarded = match forwarded(req.headers()) {
        Ok(forwarded) => forwarded,
        Err(why) => {
            // The headers may carry a token in a URL: say what was wrong, never the value.
            tracing::warn!("forward auth asked with unusable headers");
            return Ok(HttpResponse::BadRequest()
                .content_type("text/plain; charset=utf-8")
                .body(format!("The proxy's headers cannot be used: {why}.")));
        }
    };
    let matched = match state.settings.forward_auth_rules.decide(Request {
        host: &forwarded.host,
        method: &forwarded.method,
        path: &forwarded.path,
    }) {
        Ok(matched) => matched,
        Err(Unmatched::NoRule) => return Ok(refused("No rule lets this request through.")),
        Err(Unmatched::NotCanonical) => {
            return Ok(refused(
                "This path is not in canonical form (., .., //, \\ or an encoded separator).",
            ));
        }
    };
    let (permission, account) = match (matched.needed, matched.account) {
        (Needed::Public, _) => return Ok(HttpResponse::Ok().finish()),
        (Needed::Permission(permission), Some(account)) => (permission, account),
        // Rules::parse refuses a permission without {account}.
        (Needed::Permission(_), None) => return Ok(refused("No rule lets this request through.")),
    };
    let settings = &state.settings;
    let Some(cookie) = req.cookie(settings.session_cookie_name()) else {
        return Ok(sign_in_first(state, req, &forwarded));
    };
    let session = session_store::key_hash_of_cookie(
        cookie.value(),
        settings.session_cookie_name(),
        &state.session_key,
    );
    if session.is_none() {
        return Ok(sign_in_first(state, req, &forwarded));
    }
    let question = Question {
        subject: Subject::Session(session),
        account,
    };
    let verdict = gate::ask(state, None, vec![question])
        .await?
        .and_then(|mut verdicts| verdicts.pop())
        .unwrap_or(Verdict::Nobody);
    Ok(match verdict {
        Verdict::Nobody => sign_in_first(state, req, &forwarded),
        Verdict::NoAccess => refused("You have no access to this account."),
        Verdict::SecondFactorRequired => refused(
            "This account's owner requires two-factor authentication: set it up in My account, \
             then try again.",
        ),
        Verdict::Admitted(admitted) if !admitted.permissions.contains(permission) => {
            lacks(permission)
        }
        Verdict::Admitted(admitted) => allowed(&admitted),
    })
}

fn lacks(permission: Permission) -> HttpResponse {
    let reason = format!("Your access to this account does not include {permission}.");
    HttpResponse::Forbidden()
        .insert_header((
            "X-Sharing-Reason",
            HeaderValue::from_str(&reason).unwrap_or(HeaderValue::from_static("forbidden")),
        ))
        .content_type("text/plain; charset=utf-8")
        .body(reason)
}

/// Header values as the platform reads them; a name in any script goes as its UTF-8 bytes, as
/// Authelia sends it.
fn value(text: &str) -> HeaderValue {
    HeaderValue::from_bytes(text.as_bytes()).unwrap_or(HeaderValue::from_static(""))
}

// Named once: forward auth sends them on every request it lets through.
const REMOTE_USER: HeaderName = HeaderName::from_static("remote-user");
const REMOTE_EMAIL: HeaderName = HeaderName::from_static("remote-email");
const REMOTE_NAME: HeaderName = HeaderName::from_static("remote-name");
const REMOTE_GROUPS: HeaderName = HeaderName::from_static("remote-groups");
const SHARING_ACCOUNT: HeaderName = HeaderName::from_static("x-sharing-account");
const SHARING_ROLE: HeaderName = HeaderName::from_static("x-sharing-role");

fn allowed(admitted: &Admitted) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((REMOTE_USER, admitted.person_id))
        .insert_header((REMOTE_EMAIL, value(&admitted.email)))
        .insert_header((REMOTE_NAME, value(&admitted.name)))
        .insert_header((REMOTE_GROUPS, admitted.permissions.codes()))
        .insert_header((SHARING_ACCOUNT, admitted.account.platform_code()))
        .insert_header((SHARING_ROLE, HeaderValue::from_static(admitted.role_code())))
        .finish()
}

/// Not signed in: 401, or for a browser behind Traefik or Caddy a 302 to the sign-in page. The
/// sign-in brings the person back to the platform URL only when it is on PLATFORM_ORIGINS.
fn sign_in_first(state: &AppState, req: &HttpRequest, forwarded: &Forwarded) -> HttpResponse {
    let settings = &state.settings;
    let mut location = format!("{}/sign-in", settings.base_url);
    if let Some(url) = origins::on_platform(&forwarded.url, &settings.platform_origins) {
        location.push_str("?next=");
        location.extend(form_urlencoded::byte_serialize(url.as_bytes()));
    }
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let status = if wants_html && !forwarded.nginx {
        StatusCode::FOUND
    } else {
        StatusCode::UNAUTHORIZED
    };
    HttpResponse::build(status)
        .insert_header((header::LOCATION, location))
        .insert_header(("X-Sharing-Reason", "Sign in first."))
        .content_type("text/plain; charset=utf-8")
        .body("Sign in first.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderName;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn reads_nginx_and_traefik_headers() {
        let nginx = forwarded(&headers(&[
            (
                "X-Original-URL",
                "https://App.example.com:8443/accounts/42/x?token=s",
            ),
            ("X-Original-Method", "POST"),
        ]))
        .unwrap();
        assert_eq!(nginx.host, "app.example.com");
        assert_eq!(nginx.path, "/accounts/42/x");
        assert_eq!(nginx.method, "POST");
        assert!(nginx.nginx);
        let traefik = forwarded(&headers(&[
            ("X-Forwarded-Method", "GET"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Host", "app.example.com"),
            ("X-Forwarded-Uri", "/accounts/42?x#y"),
        ]))
        .unwrap();
        assert_eq!(traefik.url, "https://app.example.com/accounts/42?x#y");
        assert_eq!(traefik.path, "/accounts/42");
        assert!(!traefik.nginx);
    }

    #[test]
    fn headers_that_cannot_be_read_one_way_are_refused() {
        let traefik = |method: &str, proto: &str, host: &str, uri: &str| {
            forwarded(&headers(&[
                ("X-Forwarded-Method", method),
                ("X-Forwarded-Proto", proto),
                ("X-Forwarded-Host", host),
                ("X-Forwarded-Uri", uri),
            ]))
        };
        for (method, proto, host, uri) in [
            ("get", "https", "a.test", "/"),
            ("GET", "ftp", "a.test", "/"),
            ("GET", "https", "a.test/evil", "/"),
            ("GET", "https", "a.test:x", "/"),
            ("GET", "https", "user@a.test", "/"),
            ("GET", "https", "a.test", "accounts"),
            ("GET", "https", "[::1", "/"),
            ("G ET", "https", "a.test", "/"),
        ] {
            assert!(
                traefik(method, proto, host, uri).is_err(),
                "{method} {proto} {host} {uri}"
            );
        }
        // Twice the same header: which one would the platform believe?
        assert!(
            forwarded(&headers(&[
                ("X-Original-URL", "https://a.test/"),
                ("X-Original-URL", "https://b.test/"),
                ("X-Original-Method", "GET"),
            ]))
            .is_err()
        );
        for url in [
            "a.test/",
            "https://a.test",
            "javascript://a.test/",
            "https:///x",
        ] {
            assert!(
                forwarded(&headers(&[
                    ("X-Original-URL", url),
                    ("X-Original-Method", "GET")
                ]))
                .is_err(),
                "{url}"
            );
        }
        assert!(forwarded(&headers(&[("X-Original-URL", "https://a.test/")])).is_err());
        assert!(forwarded(&headers(&[])).is_err());
    }
}
