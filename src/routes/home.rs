//! GET / — the start page; signed-in people go straight to their account.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;

use crate::web::filters;
use crate::{
    error::AppResult,
    services::demo,
    state::AppState,
    web::{
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    demo_login: Option<(&'static str, &'static str)>,
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> AppResult<HttpResponse> {
    if session.person_id().is_some() {
        return Ok(see_other("/accounts"));
    }
    let page = HomePage {
        layout: Layout::of(&req)?,
        demo_login: state
            .settings
            .seed_demo
            .then_some((demo::DEMO_EMAIL, demo::DEMO_PASSWORD)),
    };
    Ok(render_page(StatusCode::OK, &page))
}
