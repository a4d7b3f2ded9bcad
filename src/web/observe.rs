//! Every request, seen from outside (issue 21): an id that ties its log lines together and goes
//! back in `X-Request-Id`, the W3C `traceparent` it came with, one log line when it is answered
//! (method, path, status, time; never the query string or Referer, where tokens travel: R11),
//! and its count and duration in `/metrics` under its route template.

use std::time::Instant;

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use tracing::Instrument;

use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Marks an answer refused by a rate limit, with the limit's name, for `/metrics`; the error
/// pages keep it on the page they put in its place.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitRefusal(pub &'static str);

/// A request id a proxy may hand on: short, and nothing a log reader could mistake for syntax.
fn acceptable_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=".contains(&b))
}

fn new_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source answers");
    let mut id = String::with_capacity(32);
    for b in bytes {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    id
}

/// The trace id and parent span id of a W3C `traceparent` (version 00 or a later one's first
/// four fields), or `None` for anything else.
pub fn trace_parent(header: &str) -> Option<(&str, &str)> {
    let mut fields = header.split('-');
    let (version, trace, parent, flags) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let hex = |text: &str, len: usize| {
        text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let nonzero = |text: &str| text.bytes().any(|b| b != b'0');
    let more_allowed = version != "00" || fields.next().is_none();
    (hex(version, 2)
        && version != "ff"
        && hex(trace, 32)
        && nonzero(trace)
        && hex(parent, 16)
        && nonzero(parent)
        && hex(flags, 2)
        && more_allowed)
        .then_some((trace, parent))
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    // Only a proxy listed in TRUSTED_PROXIES names the request; anyone else could plant an id
    // to blur their requests into another's in the log.
    let from_proxy = match (&state, req.peer_addr()) {
        (Some(state), Some(peer)) => state
            .settings
            .trusted_proxies
            .iter()
            .any(|net| net.contains(peer.ip())),
        _ => false,
    };
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| from_proxy && acceptable_id(id))
        .map_or_else(new_id, ToOwned::to_owned);
    let (trace_id, parent_id) = req
        .headers()
        .get("traceparent")
        .and_then(|value| value.to_str().ok())
        .and_then(trace_parent)
        .map_or((None, None), |(trace, parent)| {
            (Some(trace.to_owned()), Some(parent.to_owned()))
        });
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        trace_id = trace_id.as_deref(),
        parent_id = parent_id.as_deref(),
    );
    let method = req.method().clone();
    let path = req.path().to_owned();
    let route = req.match_pattern();
    let mut response = next.call(req).instrument(span.clone()).await?;
    let status = response.status();
    let elapsed = started.elapsed();
    span.in_scope(|| {
        tracing::info!(
            method = %method,
            path = %path,
            status = status.as_u16(),
            ms = elapsed.as_secs_f64() * 1000.0,
            "{method} {path} {}",
            status.as_u16()
        );
    });
    if let Some(state) = &state {
        let metrics = &state.metrics;
        metrics.request(
            method.as_str(),
            route.as_deref().unwrap_or("unmatched"),
            status.as_str(),
            elapsed.as_secs_f64(),
        );
        if let Some(RateLimitRefusal(limit)) = response.response().extensions().get() {
            metrics.rate_limit_refused(limit);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_is_read_as_w3c_writes_it() {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(
            trace_parent(header),
            Some(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))
        );
        // A later version may add fields; version 00 may not.
        assert!(trace_parent(&format!("01-{}-extra", &header[3..])).is_some());
        assert!(trace_parent(&format!("{header}-extra")).is_none());
        for bad in [
            "",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            assert_eq!(trace_parent(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_forwarded_request_id_is_short_and_plain() {
        assert!(acceptable_id("f3a9c0de-1234"));
        assert!(acceptable_id("req_01HZX:abc/def+=."));
        assert!(!acceptable_id(""));
        assert!(!acceptable_id(&"a".repeat(129)));
        assert!(!acceptable_id("id with spaces"));
        assert!(!acceptable_id("id\"}{"));
        assert_eq!(new_id().len(), 32);
        assert_ne!(new_id(), new_id());
    }
}
