//! Every error answer gets a page that helps: what happened and where to go next, in the same
//! frame as the rest of the site, so a signed-in person keeps their header and is sent back to
//! their accounts rather than to the start page.

use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        StatusCode,
        header::{ALLOW, CONTENT_TYPE, RETRY_AFTER},
    },
    middleware::Next,
};
use askama::Template;

use crate::{
    error::AppError,
    messages,
    web::{layout::Layout, observe::RateLimitRefusal, render::render_page},
};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: &'static str,
}

/// Error answers that still need their page: not ours already (a page, or the JSON a page's
/// script asked for, as the passkey ceremonies' options), and not the machines' `/health`.
fn needs_page(response: &HttpResponse, path: &str) -> bool {
    let status = response.status();
    let rendered = response.headers().get(CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"text/html") || v.as_bytes() == b"application/json"
    });
    (status.is_client_error() || status.is_server_error()) && !rendered && path != "/health"
}

fn page_for(status: StatusCode, error: Option<&AppError>, layout: Layout) -> HttpResponse {
    let (title, message) = match error {
        Some(error) => error.page_text(),
        None if status == StatusCode::NOT_FOUND => AppError::NotFound.page_text(),
        None if status.is_server_error() => (messages::INTERNAL_TITLE, messages::INTERNAL),
        None => (messages::BAD_REQUEST_TITLE, messages::BAD_REQUEST),
    };
    render_page(
        status,
        &ErrorPage {
            layout,
            title,
            message,
        },
    )
}

fn with_page(response: ServiceResponse<BoxBody>, layout: Layout) -> ServiceResponse<BoxBody> {
    let status = response.status();
    // The page replaces the answer; the headers that tell a client what to do next stay.
    let kept: Vec<_> = [RETRY_AFTER, ALLOW]
        .into_iter()
        .filter_map(|name| Some((name.clone(), response.headers().get(&name)?.clone())))
        .collect();
    let mut page = page_for(
        status,
        response
            .response()
            .error()
            .and_then(|error| error.as_error::<AppError>()),
        layout,
    );
    for (name, value) in kept {
        page.headers_mut().insert(name, value);
    }
    if let Some(refusal) = response.response().extensions().get::<RateLimitRefusal>() {
        page.extensions_mut().insert(*refusal);
    }
    response.into_response(page)
}

/// Inside the session middleware: the page is framed as the session stands.
pub async fn framed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    if !needs_page(response.response(), response.request().path()) {
        return Ok(response);
    }
    let layout = Layout::peek(response.request());
    Ok(with_page(response, layout))
}

/// A failure of the session middleware itself: a new session (a sign-in) or a sign-out that
/// could not be written. Its store is the database, so this is the database away: 503 and
/// "try again", in the signed-out frame, since the session is what failed. (A signed-in
/// session's other changes are dropped rather than fail an answer: `PgSessionStore::update`.)
#[derive(Debug, thiserror::Error)]
#[error("a middleware failed")]
struct MiddlewareFailed;

impl actix_web::ResponseError for MiddlewareFailed {
    fn status_code(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        let error = AppError::Unavailable(anyhow::anyhow!("{self}"));
        let mut page = page_for(self.status_code(), Some(&error), Layout::default());
        page.headers_mut().insert(
            RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        );
        page
    }
}

/// Outside the session middleware, for what fails in it.
pub async fn unframed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match next.call(req).await {
        Ok(response) => Ok(response.map_into_boxed_body()),
        Err(error) => {
            tracing::error!(error = %error, "request failed in a middleware");
            Err(MiddlewareFailed.into())
        }
    }
}
