//! Probes for load balancers, orchestrators and operators (issue 21):
//! - `GET /health`: 200 while the database answers, 503 otherwise (as it always was);
//! - `GET /health/live`: 200 while the process answers at all: restart it when this fails;
//! - `GET /health/ready`: 200 when the database answers, every migration of this build is
//!   applied and the mail worker still comes round: send it traffic only then.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

fn plain(ok: bool, problem: &str) -> HttpResponse {
    let mut response = if ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .content_type("text/plain; charset=utf-8")
        .body(if ok {
            "ok\n".to_owned()
        } else {
            format!("{problem}\n")
        })
}

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    plain(state.db.ping().await, "database unavailable")
}

pub async fn live() -> HttpResponse {
    plain(true, "")
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.outbox.stuck() {
        return plain(false, "the mail worker has not come round for five minutes");
    }
    plain(
        state.db.ready().await,
        "database unavailable, or migrations not applied",
    )
}
