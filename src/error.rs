//! The one error type of the web layer: every failure becomes a helpful page, and the cause goes
//! to the log, never to the page.

use actix_web::{HttpResponse, ResponseError, http::StatusCode};

use askama::Template;

use crate::{messages, web::layout::Layout, web::render::render_page};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: &'static str,
}

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF check failed: {0}")]
    CsrfRejected(&'static str),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("malformed request: {0}")]
    BadRequest(&'static str),
    #[error("sign-in required")]
    SignInRequired { next: String },
    #[error("database unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(error: r2d2::Error) -> Self {
        AppError::Unavailable(error.into())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected(_) => StatusCode::FORBIDDEN,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (title, message) = match self {
            AppError::SignInRequired { next } => {
                let location = format!(
                    "/sign-in?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return HttpResponse::SeeOther()
                    .insert_header(("Location", location))
                    .finish();
            }
            AppError::NotFound => (messages::NOT_FOUND_TITLE, messages::NOT_FOUND),
            AppError::Forbidden => (messages::FORBIDDEN_TITLE, messages::FORBIDDEN),
            AppError::CsrfRejected(reason) => {
                tracing::warn!(reason, "form refused by the CSRF check");
                (messages::CSRF_TITLE, messages::CSRF)
            }
            AppError::PayloadTooLarge => (messages::TOO_LARGE_TITLE, messages::TOO_LARGE),
            AppError::BadRequest(message) => (messages::BAD_REQUEST_TITLE, *message),
            AppError::Unavailable(cause) => {
                tracing::error!(error = format!("{cause:#}"), "database unavailable");
                (messages::UNAVAILABLE_TITLE, messages::UNAVAILABLE)
            }
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
                (messages::INTERNAL_TITLE, messages::INTERNAL)
            }
        };
        render_page(
            status,
            &ErrorPage {
                layout: Layout::bare(),
                title,
                message,
            },
        )
    }
}

/// Error responses made outside our handlers get the same helpful page as our own errors: an
/// `Err` from a middleware (the session store failing to save) becomes an `AppError`, whose
/// response is our page, and a bare error status gets our page as its body. `/health` keeps its
/// plain answer for machines.
pub async fn friendly_error_pages(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            return Err(AppError::Internal(anyhow::anyhow!("middleware failed: {error}")).into());
        }
    };
    let status = response.status();
    let rendered_by_us = response
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if status.is_success()
        || status.is_redirection()
        || rendered_by_us
        || response.request().path() == "/health"
    {
        return Ok(response);
    }
    let error = match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        status if status.is_server_error() => {
            AppError::Internal(anyhow::anyhow!("{status} from middleware"))
        }
        _ => AppError::BadRequest(messages::BAD_REQUEST),
    };
    let mut page = error.error_response();
    *page.status_mut() = status;
    Ok(response.into_response(page))
}
