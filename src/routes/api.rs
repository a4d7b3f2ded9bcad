//! The API for the email platform's back end (INTEGRATION.md S16): `POST /api/v1/check`, asked
//! with a service token. Tokens travel only as `Authorization: Bearer`; a session cookie is never
//! read here, so no other site can make a browser ask.

use std::collections::BTreeMap;

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderMap},
    web,
};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{ids::AccountRef, vocabulary::Permission},
    error::AppError,
    services::{
        gate::{self, Question, Subject, Verdict},
        service_tokens,
    },
    state::AppState,
    web::{
        problem::{FieldError, Problem},
        session_store,
    },
};

/// A hundred checks of every permission there is fit well within this.
const MAX_BODY_BYTES: usize = 256 * 1024;
const MAX_CHECKS: usize = 100;
const MAX_PERMISSIONS: usize = 64;

/// One check, exactly as S16 words it; anything else in the object is refused. Either a person
/// or a session, not both.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    #[serde(default)]
    person: Option<i64>,
    #[serde(default)]
    session: Option<String>,
    account: String,
    permissions: Vec<String>,
}

/// Each permission asked, and whether it is held.
#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CheckOut {
    allowed: BTreeMap<String, bool>,
    /// Why every permission is refused, when the person has access but may not use it now:
    /// `second_factor_required` (the owner requires two-factor authentication, and the person
    /// has none turned on).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

/// The token of the one `Authorization: Bearer` header, or `None` when there is not exactly one
/// such header.
pub(super) fn bearer_text(headers: &HeaderMap) -> Option<&str> {
    let mut values = headers.get_all(header::AUTHORIZATION);
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The service token a request carries: its hash, or why there is none.
fn bearer(headers: &HeaderMap) -> Result<Vec<u8>, Problem> {
    let token = bearer_text(headers).ok_or_else(|| {
        Problem::unauthorized(
            "Send one service token as Authorization: Bearer asv_… (made by `account-sharing token create --service NAME`).",
        )
    })?;
    service_tokens::hash_of_presented(token)
        .ok_or_else(|| Problem::unauthorized("This is not a service token of this service."))
}

pub(super) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The body, up to `MAX_BODY_BYTES`: a longer one is refused as soon as it is seen to be.
pub(super) async fn body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, Problem> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(Problem::too_large(MAX_BODY_BYTES));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Problem::bad_request("The body could not be read."))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(Problem::too_large(MAX_BODY_BYTES));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A check, parsed and checked; or what is wrong with each of its fields.
fn question(
    index: Option<usize>,
    check: CheckIn,
    state: &AppState,
    errors: &mut Vec<FieldError>,
) -> Option<(Question, Vec<Permission>)> {
    let at = |field: &str| match index {
        Some(i) => format!("/{i}/{field}"),
        None => format!("/{field}"),
    };
    let mut wrong = |field: &str, detail: String| {
        errors.push(FieldError {
            pointer: at(field),
            detail,
        })
    };
    let subject = match (check.person, check.session) {
        (Some(person), None) if person > 0 => Some(Subject::Person(person)),
        (Some(_), None) => {
            wrong("person", "A person is a positive whole number.".into());
            None
        }
        (None, Some(session)) if !session.is_empty() && session.len() <= 4096 => {
            let cookie = state.settings.session_cookie_name();
            Some(Subject::Session(session_store::key_hash_of_cookie(
                &session,
                cookie,
                &state.session_key,
            )))
        }
        (None, Some(_)) => {
            wrong("session", "A session is the session cookie's value.".into());
            None
        }
        (Some(_), Some(_)) | (None, None) => {
            wrong(
                "person",
                "Name either a person or a session, not both and not neither.".into(),
            );
            None
        }
    };
    let account = AccountRef::parse_platform_code(&check.account);
    if account.is_none() {
        wrong(
            "account",
            format!(
                "{:?} is not an account: use \"42\" for a master account or \"42/7\" for one of its sub-accounts.",
                truncated(&check.account)
            ),
        );
    }
    if check.permissions.is_empty() || check.permissions.len() > MAX_PERMISSIONS {
        wrong(
            "permissions",
            format!("Ask about 1 to {MAX_PERMISSIONS} permissions."),
        );
    }
    let mut permissions = Vec::new();
    for (i, code) in check.permissions.iter().enumerate() {
        match Permission::parse(code) {
            Some(permission) => permissions.push(permission),
            None => wrong(
                &format!("permissions/{i}"),
                format!(
                    "{:?} is not a permission; docs/permissions.md lists them.",
                    truncated(code)
                ),
            ),
        }
    }
    Some((
        Question {
            subject: subject?,
            account: account?,
        },
        permissions,
    ))
}

/// What a problem document repeats of the request: enough to recognise it, never enough to
/// carry a secret someone pasted in the wrong field (the answer may be logged).
pub(super) fn truncated(text: &str) -> String {
    let mut shown: String = text.chars().take(24).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    shown
}

/// `POST /api/v1/check`: one check as an object, or up to a hundred as an array, answered in
/// the same shape and order.
#[utoipa::path(post, path = "/api/v1/check", tag = "check",
    request_body(content = CheckIn, description = "One check, or an array of up to 100"),
    responses((status = 200, body = CheckOut, description = "One answer, or an array in the order asked"),
        (status = 401), (status = 413), (status = 415), (status = 422)),
    security(("service_token" = [])))]
pub async fn check(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = bearer(req.headers())?;
    if !is_json(req.headers()) {
        return Err(Problem::unsupported_media_type());
    }
    let body = body(&req, payload).await?;
    let batch = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'[');
    // Parsed straight into the shapes: serde refuses duplicate keys, unknown fields, wrong types
    // and nesting deeper than 128, and says where.
    let parsed: Result<Vec<CheckIn>, serde_json::Error> = if batch {
        serde_json::from_slice(&body)
    } else {
        serde_json::from_slice::<CheckIn>(&body).map(|check| vec![check])
    };
    let checks = parsed.map_err(|e| {
        Problem::bad_request(format!(
            "The body is not a check or an array of checks: {}",
            truncated_error(&e)
        ))
    })?;
    if checks.is_empty() || checks.len() > MAX_CHECKS {
        return Err(Problem::invalid(
            format!("Send 1 to {MAX_CHECKS} checks."),
            Vec::new(),
        ));
    }
    let mut errors = Vec::new();
    let questions: Vec<_> = checks
        .into_iter()
        .enumerate()
        .filter_map(|(i, check)| question(batch.then_some(i), check, &state, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(Problem::invalid(
            "Some checks cannot be answered as sent.",
            errors,
        ));
    }
    let (questions, permissions): (Vec<_>, Vec<_>) = questions.into_iter().unzip();
    let verdicts = match gate::ask(&state, Some(token), questions).await {
        Ok(Some(verdicts)) => verdicts,
        Ok(None) => {
            return Err(Problem::unauthorized(
                "This service token is unknown or revoked.",
            ));
        }
        Err(AppError::Unavailable(_)) => return Err(Problem::unavailable()),
        Err(e) => return Err(problem_of(e)),
    };
    let answers: Vec<CheckOut> = verdicts
        .iter()
        .zip(permissions)
        .map(|(verdict, asked)| CheckOut {
            allowed: asked
                .into_iter()
                .map(|permission| {
                    let held = matches!(verdict, Verdict::Admitted(admitted)
                        if admitted.permissions.contains(permission));
                    (permission.to_string(), held)
                })
                .collect(),
            reason: matches!(verdict, Verdict::SecondFactorRequired)
                .then_some("second_factor_required"),
        })
        .collect();
    let body = if batch {
        serde_json::to_string(&answers)
    } else {
        serde_json::to_string(&answers[0])
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body.unwrap_or_default()))
}

/// serde's message says where and what, but may quote what was sent: at most a line of it.
pub(super) fn truncated_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

/// The service's own failure, logged, answered as a problem document.
fn problem_of(error: AppError) -> Problem {
    tracing::error!(error = %error, "a check failed");
    Problem::unavailable()
}
