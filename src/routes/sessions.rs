//! GET and POST /sign-in, POST /sign-out.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;
use validator::{Validate, ValidationError};

use super::safe_next;
use crate::{
    domain::{email::EmailAddress, password::MAX_PASSWORD_CHARS},
    error::AppResult,
    messages,
    services::accounts,
    state::AppState,
    web::{
        client_ip::ClientIp,
        form::{Form, FormErrors},
        layout::Layout,
        locale,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

/// Nothing here is parsed into domain values: a sign-in only needs both fields present, and any
/// further detail about what was wrong would tell strangers who has a login (R22).
#[derive(Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct SignInForm {
    #[serde(default)]
    #[validate(custom(function = "not_blank", code = "email_missing"))]
    email: String,
    #[serde(default)]
    #[validate(length(min = 1, code = "password_missing"))]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::new("blank"))
    } else {
        Ok(())
    }
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    /// The address to fill in: "Sign in to accept" names the invited one.
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptyForm {}

#[derive(Template)]
#[template(path = "sessions/new.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    /// The address as "Forgot your password?" carries it: what was typed, URL-encoded.
    email_in_link: String,
    next: String,
    errors: FormErrors,
    /// "Sign in with a passkey", where browsers can use one here.
    passkeys_offered: bool,
}

pub(super) fn sign_in_page(
    state: &AppState,
    layout: Layout,
    email: String,
    next: &str,
    errors: FormErrors,
) -> HttpResponse {
    let status = errors.status();
    let page = SignInPage {
        passkeys_offered: state.passkeys.is_some(),
        layout,
        email_in_link: super::query_value(email.trim()),
        email,
        next: next.to_owned(),
        errors,
    };
    render_page(status, &page)
}

pub async fn new(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<SignInQuery>,
) -> AppResult<HttpResponse> {
    let next = safe_next(query.next.as_deref(), &state.settings.platform_origins);
    if session.person_id().is_some() {
        return Ok(see_other(next));
    }
    // Only what can be an address is filled in: the field is for one.
    let email = query
        .email
        .as_deref()
        .filter(|email| EmailAddress::parse(email).is_ok())
        .unwrap_or_default()
        .to_owned();
    Ok(sign_in_page(
        &state,
        Layout::of(&req)?,
        email,
        next,
        FormErrors::default(),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignInForm>,
) -> AppResult<HttpResponse> {
    let next = safe_next(form.next.as_deref(), &state.settings.platform_origins).to_owned();
    let mut errors = FormErrors::default();
    if let Err(invalid) = form.validate() {
        errors.add_validation(layout.locale, &invalid, &["email", "password"]);
    }
    // No password is longer than a new one may be: such a try is neither counted nor hashed.
    if form.password.chars().count() > MAX_PASSWORD_CHARS {
        errors.add("email", layout.t(messages::SIGN_IN_FAILED));
    }
    // What cannot be an address has no login: saying so tells nobody who has one, and such a
    // try is neither counted nor hashed.
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => Some(email),
        Err(error) => {
            if errors.get("email").is_none() {
                errors.add("email", messages::email_error(layout.locale, error));
            }
            None
        }
    };
    // An address at a domain an owner proved for single sign-on signs in at their provider,
    // whatever password was typed (issue 22).
    if let Some(email) = &email
        && let Some(provider) = super::sso::provider_sign_in(&state, email, &next).await?
    {
        return Ok(provider);
    }
    if let (Some(email), true) = (email, errors.is_empty()) {
        // Failures count for known and unknown addresses alike, so the limit tells nobody which
        // exist (R22).
        match accounts::authenticate(&state, &email, form.password, ip).await? {
            Some(signed_in) => {
                if let Some(second_step) =
                    super::two_factor::start_session(&state, &session, &signed_in, &next)?
                {
                    return Ok(second_step);
                }
                return signed_in_to(&state, &signed_in, layout.locale, &next).await;
            }
            None => errors.add("email", layout.t(messages::SIGN_IN_FAILED)),
        }
    }
    Ok(sign_in_page(&state, layout, form.email, &next, errors))
}

/// Where a person lands once signed in: `next`, in the language that is theirs from now on.
pub(super) async fn signed_in_to(
    state: &AppState,
    signed_in: &accounts::SigningIn,
    current: crate::i18n::Locale,
    next: &str,
) -> AppResult<HttpResponse> {
    let locale = accounts::language_after_sign_in(state, signed_in, current).await?;
    let mut response = see_other(next);
    locale::remember(&mut response, locale, state.settings.uses_https());
    Ok(response)
}

#[derive(Template)]
#[template(path = "sessions/signed_out.html")]
struct SignedOutPage {
    layout: Layout,
}

/// Ends the session server-side. The page is built without a session, since the old one is gone
/// and a new one would only be an empty row.
pub async fn destroy(
    req: HttpRequest,
    session: TypedSession,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    session.sign_out();
    Ok(render_page(
        StatusCode::OK,
        &SignedOutPage {
            layout: Layout::signed_out(&req),
        },
    ))
}
