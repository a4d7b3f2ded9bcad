//! Passkeys (issue 22): adding and removing them in My account (/account/passkeys), the second
//! step of signing in with one (/sign-in/two-factor/passkey), and signing in with one alone
//! (/sign-in/passkey).
//!
//! WebAuthn runs in the browser's script: each ceremony is a POST for its options (JSON, which
//! `static/passkeys.js` hands to `navigator.credentials`), then an ordinary form whose hidden
//! `credential` field carries the browser's answer, so that what follows (errors, the next
//! page) is the same as for any form.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::{
    safe_next,
    sessions::{EmptyForm, sign_in_page},
    two_factor::{RecoveryCodesPage, Typed, second_step_page, settings_page_with, start_again},
};
use crate::{
    domain::{name::PasskeyName, passkey::CredentialField},
    error::{AppError, AppResult},
    messages,
    services::{
        passkeys::{self, Refusal, Removal},
        two_factor::SecondStep,
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

/// The field errors about the ceremony itself are shown on: the button that starts it.
const FIELD: &str = "passkey";

fn refusal_message(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Unavailable => messages::PASSKEYS_UNAVAILABLE,
        Refusal::NotWaiting => messages::PASSKEY_NOT_WAITING,
        Refusal::NotAccepted => messages::PASSKEY_NOT_ACCEPTED,
        Refusal::AlreadyRegistered => messages::PASSKEY_ALREADY_REGISTERED,
        Refusal::TooMany => messages::PASSKEYS_TOO_MANY,
        Refusal::ThroughProvider => messages::PASSKEY_THROUGH_PROVIDER,
    }
}

/// A ceremony's options refused, as the script shows it: a status and a sentence.
fn options_refused(layout: &Layout, status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "error": layout.t(message) }))
}

fn refusal_status(refusal: Refusal) -> StatusCode {
    match refusal {
        Refusal::Unavailable => StatusCode::NOT_FOUND,
        _ => StatusCode::CONFLICT,
    }
}

/// A ceremony's options for the script, its state kept in the session until the answer comes;
/// or why it did not begin.
fn options_answer(
    session: &TypedSession,
    layout: &Layout,
    begun: Result<(impl serde::Serialize, passkeys::Pending), Refusal>,
) -> AppResult<HttpResponse> {
    match begun {
        Ok((options, pending)) => {
            session.await_passkey(&pending)?;
            Ok(HttpResponse::Ok().json(options))
        }
        Err(refusal) => Ok(options_refused(
            layout,
            refusal_status(refusal),
            refusal_message(refusal),
        )),
    }
}

/// The browser's answer in the form's `credential` field, or the error to show on the button
/// when there is none to check.
fn answer_in(field: &str) -> Result<&str, &'static str> {
    match CredentialField::of(field) {
        CredentialField::Missing => Err(messages::PASSKEY_NEEDS_SCRIPT),
        CredentialField::TooLarge => Err(messages::PASSKEY_NOT_ACCEPTED),
        CredentialField::Given(answer) => Ok(answer),
    }
}

pub async fn registration_options(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let begun = passkeys::begin_registration(&state, &current.person).await?;
    options_answer(&session, &layout, begun)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterForm {
    #[serde(default)]
    passkey_name: String,
    #[serde(default)]
    credential: String,
}

/// Adds the passkey the browser made; the first second factor comes with recovery codes.
pub async fn register(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    Form(form): Form<RegisterForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    let name = errors.check(
        "passkey_name",
        PasskeyName::parse(&form.passkey_name),
        |e| messages::passkey_name_error(layout.locale, e),
    );
    let answer = errors.check(FIELD, answer_in(&form.credential), |m| layout.t(m));
    // An answer is good for its one challenge, whatever else is wrong with the form.
    let pending = session.take_passkey_pending();
    if let (Some(name), Some(answer)) = (name, answer) {
        match passkeys::finish_registration(&state, &current.person, name, answer, pending).await? {
            Ok(Some(codes)) => {
                let page = RecoveryCodesPage {
                    layout,
                    codes,
                    just_turned_on: true,
                };
                return Ok(render_page(StatusCode::OK, &page));
            }
            Ok(None) => {
                session.set_flash(&layout.t(messages::FLASH_PASSKEY_ADDED))?;
                return Ok(see_other("/account/two-factor"));
            }
            Err(refusal) => errors.add(FIELD, layout.t(refusal_message(refusal))),
        }
    }
    let typed = Typed {
        passkey_name: form.passkey_name,
    };
    settings_page_with(&state, &current, layout, errors, false, typed).await
}

#[derive(Template)]
#[template(path = "my_login/passkey_remove.html")]
struct RemovePage {
    layout: Layout,
    id: i64,
    name: String,
    errors: FormErrors,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveForm {
    #[serde(default)]
    current_password: String,
}

async fn remove_page(
    state: &AppState,
    current: &CurrentPerson,
    layout: Layout,
    id: i64,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let Some(passkey) = passkeys::find(state, current.person.person_id(), id).await? else {
        return Err(AppError::NotFound);
    };
    let page = RemovePage {
        layout,
        id,
        name: passkey.name,
        errors,
    };
    Ok(render_page(page.errors.status(), &page))
}

/// "Remove passkey?": what goes, and the current password.
pub async fn confirm_remove(
    state: web::Data<AppState>,
    current: CurrentPerson,
    layout: Layout,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    remove_page(
        &state,
        &current,
        layout,
        id.into_inner(),
        FormErrors::default(),
    )
    .await
}

pub async fn remove(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ClientIp(ip): ClientIp,
    id: web::Path<i64>,
    Form(form): Form<RemoveForm>,
) -> AppResult<HttpResponse> {
    const PASSWORD: &str = "current_password";
    let id = id.into_inner();
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        // The page says which passkey, or that there is none such.
        errors.add(PASSWORD, layout.t(messages::ENTER_PASSWORD));
        return remove_page(&state, &current, layout, id, errors).await;
    }
    match passkeys::remove(&state, &current.person, id, form.current_password, ip).await? {
        Removal::Removed => {
            session.set_flash(&layout.t(messages::FLASH_PASSKEY_REMOVED))?;
            Ok(see_other("/account/two-factor"))
        }
        Removal::Gone => Err(AppError::NotFound),
        Removal::WrongPassword => {
            errors.add(PASSWORD, layout.t(messages::WRONG_CURRENT_PASSWORD));
            remove_page(&state, &current, layout, id, errors).await
        }
    }
}

/// The second step's challenge, for the passkeys of whoever gave their password.
pub async fn second_step_options(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(due) = session.second_factor_due(state.settings.clock.now()) else {
        return Ok(options_refused(
            &layout,
            StatusCode::CONFLICT,
            messages::SECOND_STEP_EXPIRED,
        ));
    };
    match passkeys::begin_second_step(&state, due.person).await? {
        Some(begun) => options_answer(&session, &layout, Ok(begun)),
        None => Ok(options_refused(
            &layout,
            StatusCode::NOT_FOUND,
            messages::PASSKEY_NONE_FOR_LOGIN,
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerForm {
    #[serde(default)]
    credential: String,
}

pub async fn finish_second_step(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<AnswerForm>,
) -> AppResult<HttpResponse> {
    let Some(due) = session.second_factor_due(state.settings.clock.now()) else {
        return start_again(&session, &layout);
    };
    let mut errors = FormErrors::default();
    let pending = session.take_passkey_pending();
    match answer_in(&form.credential) {
        Err(message) => errors.add(FIELD, layout.t(message)),
        Ok(answer) => {
            let step = passkeys::finish_second_step(
                &state,
                due.person,
                due.generation,
                answer,
                pending,
                ip,
            )
            .await?;
            match step {
                SecondStep::Expired => return start_again(&session, &layout),
                SecondStep::SignedIn(signed_in) => {
                    session.sign_in(signed_in.person, signed_in.owns_account)?;
                    let next = safe_next(Some(&due.next), &state.settings.platform_origins);
                    return super::sessions::signed_in_to(&state, &signed_in, layout.locale, next)
                        .await;
                }
                SecondStep::Wrong => errors.add(FIELD, layout.t(messages::PASSKEY_NOT_ACCEPTED)),
            }
        }
    }
    second_step_page(&state, layout, errors, Some(due.person)).await
}

/// A passwordless sign-in's challenge.
pub async fn sign_in_options(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let begun = passkeys::begin_sign_in(&state, ip).await?;
    options_answer(&session, &layout, begun)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInForm {
    #[serde(default)]
    credential: String,
    next: Option<String>,
}

pub async fn sign_in(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignInForm>,
) -> AppResult<HttpResponse> {
    let next = safe_next(form.next.as_deref(), &state.settings.platform_origins).to_owned();
    let mut errors = FormErrors::default();
    let pending = session.take_passkey_pending();
    match answer_in(&form.credential) {
        Err(message) => errors.add(FIELD, layout.t(message)),
        Ok(answer) => match passkeys::finish_sign_in(&state, answer, pending, ip).await? {
            Ok(signed_in) => {
                session.sign_in(signed_in.person, signed_in.owns_account)?;
                return super::sessions::signed_in_to(&state, &signed_in, layout.locale, &next)
                    .await;
            }
            Err(refusal) => errors.add(FIELD, layout.t(refusal_message(refusal))),
        },
    }
    Ok(sign_in_page(&state, layout, String::new(), &next, errors))
}
