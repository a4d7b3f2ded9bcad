//! Turns a page struct into a response with the status the situation calls for.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

/// Renders `page` with `status`: 200 for pages, 422 for a form shown again with its errors, 4xx/5xx
/// for error pages. A template that fails to render is a bug: logged, and a plain 500 served.
pub fn render_page<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Internal error")
        }
    }
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}
