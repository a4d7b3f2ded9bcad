//! Security headers on every response (R27), and a request log that never records query strings
//! or Referer, where tokens travel (R11).

use actix_web::middleware::{DefaultHeaders, Logger};

/// Headers a response sets itself (static files set their own caching) are left as they are.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        // Pages show private data: nothing may be cached, neither by the browser nor a proxy.
        .add(("Cache-Control", "no-store"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

pub fn request_log() -> Logger {
    Logger::new("%{request}xi %s %b %Dms")
        .custom_request_replace("request", |req| format!("{} {}", req.method(), req.path()))
}
