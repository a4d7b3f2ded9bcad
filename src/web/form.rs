//! Form bodies, parsed strictly (R14) and checked against the session's CSRF token (R20).

use actix_web::{FromRequest, HttpRequest, dev::Payload, web::BytesMut};
use futures_util::{StreamExt, future::LocalBoxFuture};
use serde::de::DeserializeOwned;

use crate::{
    error::AppError,
    i18n::Locale,
    messages,
    web::{csrf::tokens_match, session::TypedSession, urlencoded::decode_pairs, visitor},
};

/// Large enough for any form of ours, small enough that a megabyte is refused unread.
pub const FORM_LIMIT_BYTES: usize = 4096;

/// A larger limit for one resource's forms, as app data: the invite form grows with the number of
/// sub-accounts chosen.
#[derive(Clone, Copy)]
pub struct FormLimit(pub usize);
const CSRF_FIELD: &str = "csrf_token";

/// A urlencoded form body: at most 4 kB (413 beyond), every key once, no key the form does not
/// declare (with `#[serde(deny_unknown_fields)]`), and a `csrf_token` matching the session's.
/// Field values stay strings: turning them into domain values is the handler's job, so a
/// mistyped value re-renders the form instead of failing here.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // The session's token once it has one; before, a visitor's cookie (`web::visitor`).
        let https = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .is_some_and(|state| state.settings.uses_https());
        let session = TypedSession::of(req);
        let unavailable = session.unavailable();
        let session_token = session
            .existing_csrf_token()
            .or_else(|| visitor::sent_token(req, https));
        let content_type_ok = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_a_web_form);
        let declared_length = req
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let limit = req
            .app_data::<FormLimit>()
            .map_or(FORM_LIMIT_BYTES, |limit| limit.0);
        let mut payload = payload.take();
        Box::pin(async move {
            // The form's token cannot be checked against a session that could not be read.
            if unavailable {
                return Err(AppError::Unavailable(anyhow::anyhow!(
                    "the session could not be read"
                )));
            }
            if declared_length.is_some_and(|length| length > limit) {
                return Err(AppError::PayloadTooLarge);
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| AppError::BadRequest(messages::BAD_FORM))?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            if !content_type_ok && !body.is_empty() {
                return Err(AppError::UnsupportedForm);
            }
            parse(&body, session_token.as_deref()).map(Form)
        })
    }
}

/// `application/x-www-form-urlencoded`, in UTF-8 when a charset is named: what browsers send
/// for our pages' forms.
fn is_a_web_form(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    parts
        .next()
        .is_some_and(|essence| essence.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
}

fn parse<T: DeserializeOwned>(body: &[u8], session_token: Option<&str>) -> Result<T, AppError> {
    let mut pairs = decode_pairs(body).ok_or(AppError::BadRequest(messages::FORM_NOT_TEXT))?;
    let mut keys: Vec<&str> = pairs.iter().map(|(key, _)| key.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(AppError::BadRequest(messages::BAD_FORM));
    }
    let position = pairs
        .iter()
        .position(|(key, _)| key == CSRF_FIELD)
        .ok_or(AppError::CsrfRejected("no token in the form"))?;
    let (_, sent_token) = pairs.remove(position);
    match session_token {
        Some(expected) if tokens_match(&sent_token, expected) => {}
        Some(_) => return Err(AppError::CsrfRejected("token does not match the session's")),
        None => return Err(AppError::CsrfRejected("the session has no token")),
    }
    let rest = serde_urlencoded::to_string(&pairs)
        .map_err(|_| AppError::BadRequest(messages::BAD_FORM))?;
    serde_urlencoded::from_str(&rest).map_err(|_| AppError::BadRequest(messages::BAD_FORM))
}

/// One message per field that was refused, in the order the fields appear on the page; shown as
/// the error summary at the top and again beside each field (UX.md rule 1).
#[derive(Debug, Default)]
pub struct FormErrors(Vec<FieldError>);

#[derive(Debug)]
pub struct FieldError {
    /// The id of the input the summary links to.
    pub field: String,
    pub message: String,
}

impl FormErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        // One message per field: the first problem found is the one to fix first.
        if self.get(&field).is_none() {
            self.0.push(FieldError {
                field,
                message: message.into(),
            });
        }
    }

    /// Keeps the parsed value, or records why `field` was refused.
    pub fn check<T, E>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
        message: impl FnOnce(E) -> String,
    ) -> Option<T> {
        parsed.map_err(|e| self.add(field, message(e))).ok()
    }

    /// Adds what validator found, one message per field in page order, worded by
    /// `messages::for_validation_code`.
    pub fn add_validation(
        &mut self,
        l: Locale,
        found: &validator::ValidationErrors,
        fields_in_page_order: &[&'static str],
    ) {
        let by_field = found.field_errors();
        for field in fields_in_page_order {
            if let Some(error) = by_field.get(*field).and_then(|errors| errors.first()) {
                self.add(*field, messages::for_validation_code(l, &error.code));
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// 200 for a form shown fresh, 422 for one shown again with what to fix.
    pub fn status(&self) -> actix_web::http::StatusCode {
        if self.is_empty() {
            actix_web::http::StatusCode::OK
        } else {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Example {
        name: String,
        #[serde(default)]
        note: Option<String>,
    }

    fn parse_example(body: &str, token: Option<&str>) -> Result<Example, AppError> {
        parse::<Example>(body.as_bytes(), token)
    }

    #[test]
    fn accepts_a_well_formed_form() {
        let parsed = parse_example("csrf_token=t0k&name=Ann+%3Cb%3E", Some("t0k")).unwrap();
        assert_eq!(
            parsed,
            Example {
                name: "Ann <b>".into(),
                note: None
            }
        );
    }

    #[test]
    fn refuses_missing_or_wrong_tokens() {
        assert!(matches!(
            parse_example("name=a", Some("t")),
            Err(AppError::CsrfRejected(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=x&name=a", Some("t")),
            Err(AppError::CsrfRejected(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=t&name=a", None),
            Err(AppError::CsrfRejected(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=&name=a", Some("t")),
            Err(AppError::CsrfRejected(_))
        ));
    }

    #[test]
    fn refuses_repeated_and_unknown_keys() {
        assert!(matches!(
            parse_example("csrf_token=t&name=a&name=b", Some("t")),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=t&csrf_token=t&name=a", Some("t")),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=t&name=a&account_id=3", Some("t")),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse_example("csrf_token=t", Some("t")),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(matches!(
            parse_example("csrf_token=t&name=%FF", Some("t")),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn knows_a_web_form_by_its_content_type() {
        for web_form in [
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-Urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "application/x-www-form-urlencoded;charset=\"utf-8\"",
        ] {
            assert!(is_a_web_form(web_form), "{web_form}");
        }
        for other in [
            "application/x-www-form-urlencodedX",
            "application/x-www-form-urlencoded; charset=utf-16",
            "application/json",
            "multipart/form-data; boundary=x",
            "text/plain",
            "",
        ] {
            assert!(!is_a_web_form(other), "{other}");
        }
    }
}
