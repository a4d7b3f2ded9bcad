//! `GET /metrics` in Prometheus's text format (issue 21): on METRICS_BIND, an address of its own
//! that only the monitoring network reaches, or on the service's address behind
//! `Authorization: Bearer METRICS_TOKEN`. Neither set: there is no such page.

use actix_web::{HttpRequest, HttpResponse, http::header, web};

use crate::{db, secrets, state::AppState};

/// On METRICS_BIND: whoever reaches the address may read.
pub async fn open(state: web::Data<AppState>) -> HttpResponse {
    scrape(&state).await
}

/// On the service's own address: only with the token.
pub async fn with_token(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let Some(token) = &state.settings.metrics_token else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found\n");
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared as hashes: how long the comparison takes tells nothing about the token.
    if secrets::token_hash(presented) != secrets::token_hash(token) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
            .content_type("text/plain; charset=utf-8")
            .body("a bearer token is needed: METRICS_TOKEN\n");
    }
    scrape(&state).await
}

async fn scrape(state: &AppState) -> HttpResponse {
    let now = state.settings.clock.now();
    // The outbox's depth is everyone's, so it is read where it is kept; a database that does not
    // answer leaves those gauges as they were and the rest is still served.
    let backlog = state
        .db
        .run(move |conn| Ok(db::outbox::backlog(conn, now)?))
        .await
        .ok();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.db, backlog.as_deref()))
}
