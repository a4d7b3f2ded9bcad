//! GET /health — for load balancers and operators: 200 while the database answers, 503 otherwise.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    if state.db.ping().await {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok\n")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("database unavailable\n")
    }
}
