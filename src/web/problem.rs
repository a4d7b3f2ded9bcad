//! RFC 9457 problem documents: how the API says what was wrong with a request. Never a page,
//! never a 5xx for anything a client sent.

use crate::web::observe::RateLimitRefusal;
use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use serde::Serialize;

/// One field that was wrong: where in the body (a JSON Pointer) and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub pointer: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    /// What the client should do next, in a header.
    #[serde(skip)]
    next: Option<Next>,
}

/// A 405's methods, or a 429's wait (and which limit refused, for `/metrics`): one field, so a
/// `Result<_, Problem>` stays small.
#[derive(Debug, Clone)]
enum Next {
    Allow(Box<str>),
    RetryAfter { seconds: u32, limit: &'static str },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.title, self.detail)
    }
}

impl Problem {
    fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            next: None,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "Forbidden", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "Not Found", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, "Conflict", detail)
    }

    pub fn too_many(
        detail: impl Into<String>,
        retry_after: std::time::Duration,
        limit: &'static str,
    ) -> Problem {
        Problem {
            next: Some(Next::RetryAfter {
                seconds: u32::try_from(retry_after.as_secs())
                    .unwrap_or(u32::MAX)
                    .max(1),
                limit,
            }),
            ..Problem::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests", detail)
        }
    }

    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "Bad Request", detail)
    }

    pub fn too_large(limit: usize) -> Problem {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Content Too Large",
            format!("The body may hold at most {limit} bytes."),
        )
    }

    pub fn unsupported_media_type() -> Problem {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            "Send the body as Content-Type: application/json.",
        )
    }

    pub fn invalid(detail: impl Into<String>, errors: Vec<FieldError>) -> Problem {
        Problem {
            errors,
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Unprocessable Content",
                detail,
            )
        }
    }

    pub fn method_not_allowed(allow: &str) -> Problem {
        Problem {
            next: Some(Next::Allow(allow.into())),
            ..Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method Not Allowed",
                format!("This address answers {allow} only."),
            )
        }
    }

    pub fn unavailable() -> Problem {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "The service cannot reach its database just now; try again in a moment.",
        )
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if self.status == 401 {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(Next::Allow(allow)) = &self.next {
            response.insert_header((header::ALLOW, allow.as_ref()));
        }
        if self.status == 503 {
            response.insert_header((header::RETRY_AFTER, "1"));
        }
        if let Some(Next::RetryAfter { seconds, limit }) = self.next {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            response.extensions_mut().insert(RateLimitRefusal(limit));
        }
        response
            .content_type("application/problem+json")
            .body(serde_json::to_string(self).unwrap_or_default())
    }
}
