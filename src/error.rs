//! The one error type of the web layer. Each error knows its status and the words of its page;
//! `web::error_pages` renders the page, framed for whoever is signed in. The cause goes to the
//! log, never to the page.

use actix_web::{HttpResponse, ResponseError, http::StatusCode};

use crate::messages;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("the owner's address is not verified")]
    AddressNotVerified,
    #[error("CSRF check failed: {0}")]
    CsrfRejected(&'static str),
    #[error("method not allowed; allowed: {allow}")]
    MethodNotAllowed { allow: String },
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many requests; retry after {retry_after:?}")]
    TooManyRequests {
        retry_after: std::time::Duration,
        /// Which limit, as `/metrics` names it (`sign-up/ip`).
        limit: &'static str,
    },
    #[error("malformed request: {0}")]
    BadRequest(&'static str),
    #[error("malformed query string")]
    BadAddress,
    #[error("form body of another content type")]
    UnsupportedForm,
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// The account's owner requires a second factor, and this person has none: they are sent to
    /// set one up, and can do nothing there until they have.
    #[error("two-factor authentication required by the account's owner")]
    SecondFactorRequired,
    #[error("too many password checks waiting")]
    Busy,
    #[error("database unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::Error;
        match error {
            Error::NotFound => AppError::NotFound,
            other if server_lost(&other) => AppError::Unavailable(other.into()),
            other => AppError::Internal(other.into()),
        }
    }
}

/// Whether `error` says the database server went away or cannot take writes now: a primary
/// killed or switched over (README, Operate it). Such a request is answered 503, "try again",
/// and its connection is not lent again.
pub fn server_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    // What libpq and PostgreSQL say then; diesel gives no SQLSTATE for them.
    const LOST: [&str; 10] = [
        "server closed the connection",
        "terminating connection",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "connection to server",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "the database system is not yet accepting connections",
    ];
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand
            | DatabaseErrorKind::ReadOnlyTransaction,
            _,
        )
        | Error::BrokenTransactionManager => true,
        Error::DatabaseError(_, info) => LOST.iter().any(|lost| info.message().contains(lost)),
        _ => false,
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

impl AppError {
    /// The title and the explanation its page shows.
    pub fn page_text(&self) -> (&'static str, &'static str) {
        match self {
            AppError::NotFound
            | AppError::SignInRequired { .. }
            | AppError::SecondFactorRequired => (messages::NOT_FOUND_TITLE, messages::NOT_FOUND),
            AppError::Forbidden => (messages::FORBIDDEN_TITLE, messages::FORBIDDEN),
            AppError::AddressNotVerified => (messages::NOT_VERIFIED_TITLE, messages::NOT_VERIFIED),
            AppError::CsrfRejected(_) => (messages::CSRF_TITLE, messages::CSRF),
            AppError::MethodNotAllowed { .. } => {
                (messages::WRONG_METHOD_TITLE, messages::WRONG_METHOD)
            }
            AppError::PayloadTooLarge => (messages::TOO_LARGE_TITLE, messages::TOO_LARGE),
            AppError::TooManyRequests { .. } => (messages::TOO_MANY_TITLE, messages::TOO_MANY),
            AppError::BadRequest(message) => (messages::BAD_REQUEST_TITLE, message),
            AppError::BadAddress => (messages::BAD_ADDRESS_TITLE, messages::BAD_ADDRESS),
            AppError::UnsupportedForm => (messages::BAD_REQUEST_TITLE, messages::NOT_A_WEB_FORM),
            AppError::Unavailable(_) => (messages::UNAVAILABLE_TITLE, messages::UNAVAILABLE),
            AppError::Busy => (messages::BUSY_TITLE, messages::BUSY),
            AppError::Internal(_) => (messages::INTERNAL_TITLE, messages::INTERNAL),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::AddressNotVerified | AppError::CsrfRejected(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) | AppError::BadAddress => StatusCode::BAD_REQUEST,
            AppError::UnsupportedForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::SignInRequired { .. } | AppError::SecondFactorRequired => {
                StatusCode::SEE_OTHER
            }
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The status, and the title as plain text for any response that escapes the error pages;
    /// `web::error_pages` replaces it with the page.
    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SecondFactorRequired => {
                return HttpResponse::SeeOther()
                    .insert_header(("Location", "/account/two-factor?required"))
                    .finish();
            }
            AppError::SignInRequired { next } => {
                let location = format!(
                    "/sign-in?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return HttpResponse::SeeOther()
                    .insert_header(("Location", location))
                    .finish();
            }
            AppError::CsrfRejected(reason) => {
                tracing::warn!(reason, "form refused by the CSRF check")
            }
            AppError::Unavailable(cause) => {
                tracing::error!(error = format!("{cause:#}"), "database unavailable")
            }
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            AppError::TooManyRequests { retry_after, limit } => {
                response.insert_header(("Retry-After", retry_after.as_secs().max(1).to_string()));
                response
                    .extensions_mut()
                    .insert(crate::web::observe::RateLimitRefusal(limit));
            }
            AppError::MethodNotAllowed { allow } => {
                response.insert_header(("Allow", allow.as_str()));
            }
            AppError::Busy => {
                response.insert_header(("Retry-After", "1"));
            }
            // A primary switching over takes seconds.
            AppError::Unavailable(_) => {
                response.insert_header(("Retry-After", "5"));
            }
            _ => {}
        }
        response
            .content_type("text/plain; charset=utf-8")
            // For machines, such as /health's callers: the title, in English.
            .body(crate::i18n::Locale::En.t(self.page_text().0))
    }
}
