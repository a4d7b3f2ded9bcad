//! Two-factor authentication (issue 22): the second step of signing in (/sign-in/two-factor)
//! and its settings in My account (/account/two-factor).

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use qrcode::{Color, QrCode};
use serde::Deserialize;

use super::safe_next;
use crate::{
    domain::{
        ids::PersonId,
        two_factor::{SecondFactor, SecondFactorError},
    },
    error::AppResult,
    messages,
    services::{
        accounts::SigningIn,
        passkeys,
        two_factor::{self, SecondStep, SetupRefusal, Status},
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::{SecondFactorDue, TypedSession},
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Turning off and replacing the recovery codes each ask for the password, in forms of their
/// own on the same page: their fields have names of their own, so an error lands on the right
/// one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnOffForm {
    #[serde(default)]
    current_password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCodesForm {
    #[serde(default)]
    codes_password: String,
}

/// Starts a session for whoever passed the first step of signing in (a password, a reset
/// link, a verification link): signed in at once, or asked for their second factor first.
/// Gives where to go next.
pub fn start_session(
    state: &AppState,
    session: &TypedSession,
    signed_in: &SigningIn,
    next: &str,
) -> AppResult<Option<HttpResponse>> {
    if let Some(generation) = signed_in.second_factor_due {
        let due = SecondFactorDue {
            person: signed_in.person,
            generation,
            next: next.to_owned(),
        };
        session.await_second_factor(&due, state.settings.clock.now())?;
        return Ok(Some(see_other("/sign-in/two-factor")));
    }
    session.sign_in(signed_in.person, signed_in.owns_account)?;
    Ok(None)
}

#[derive(Template)]
#[template(path = "sessions/two_factor.html")]
struct SecondStepPage {
    layout: Layout,
    errors: FormErrors,
    /// Offers "Use a passkey" beside the code.
    has_passkey: bool,
}

/// The second step's page for `person` (when known), with `errors` (none: 200).
pub(super) async fn second_step_page(
    state: &AppState,
    layout: Layout,
    errors: FormErrors,
    person: Option<PersonId>,
) -> AppResult<HttpResponse> {
    let has_passkey = match person {
        Some(person) => passkeys::has_any(state, person).await?,
        None => false,
    };
    let page = SecondStepPage {
        has_passkey,
        layout,
        errors,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn second_step(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
) -> AppResult<HttpResponse> {
    let Some(due) = session.second_factor_due(state.settings.clock.now()) else {
        return Ok(see_other("/sign-in"));
    };
    second_step_page(&state, layout, FormErrors::default(), Some(due.person)).await
}

fn factor_error(layout: &Layout, error: SecondFactorError) -> String {
    layout.t(match error {
        SecondFactorError::Empty => messages::ENTER_SECOND_FACTOR,
        SecondFactorError::Malformed => messages::SECOND_FACTOR_FORMAT,
    })
}

/// The wait ran out, the password changed meanwhile, or this browser never gave one: the
/// first step again.
pub(super) fn start_again(session: &TypedSession, layout: &Layout) -> AppResult<HttpResponse> {
    session.set_flash(&layout.t(messages::SECOND_STEP_EXPIRED))?;
    Ok(see_other("/sign-in"))
}

pub async fn finish_sign_in(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let due = session.second_factor_due(state.settings.clock.now());
    // What cannot be a second factor is told so first, and nothing is tried or written.
    let factor = match SecondFactor::parse(&form.code) {
        Ok(factor) => factor,
        Err(error) => {
            let mut errors = FormErrors::default();
            errors.add("code", factor_error(&layout, error));
            let person = due.map(|due| due.person);
            return second_step_page(&state, layout, errors, person).await;
        }
    };
    let Some(due) = due else {
        return start_again(&session, &layout);
    };
    let mut errors = FormErrors::default();
    match two_factor::verify_second_factor(&state, due.person, due.generation, &factor, ip).await? {
        SecondStep::Expired => return start_again(&session, &layout),
        SecondStep::SignedIn(signed_in) => {
            session.sign_in(signed_in.person, signed_in.owns_account)?;
            let next = safe_next(Some(&due.next), &state.settings.platform_origins);
            return super::sessions::signed_in_to(&state, &signed_in, layout.locale, next).await;
        }
        SecondStep::Wrong => errors.add("code", layout.t(messages::SECOND_FACTOR_WRONG)),
    }
    second_step_page(&state, layout, errors, Some(due.person)).await
}

#[derive(Template)]
#[template(path = "my_login/two_factor.html")]
struct SettingsPage {
    layout: Layout,
    status: StatusView,
    errors: FormErrors,
    /// Sent here by an account whose owner requires a second factor.
    required_elsewhere: bool,
    /// Set when any second factor is on: the recovery codes then stand for it.
    recovery_codes_left: Option<i64>,
    passkeys: Vec<PasskeyRow>,
    /// False when BASE_URL's host is an IP address, where browsers refuse passkeys.
    passkeys_offered: bool,
    /// The name typed for a new passkey, kept when it is refused.
    passkey_name: String,
}

/// A passkey as the settings page lists it.
pub struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub added: String,
    /// Empty when never used.
    pub last_used: String,
}

/// What the settings page keeps of a refused form.
#[derive(Default)]
pub struct Typed {
    pub passkey_name: String,
}

/// `?required`: where an account that requires a second factor sends a person without one.
#[derive(Deserialize)]
pub struct SettingsQuery {
    required: Option<String>,
}

/// What the settings page shows, in plain data.
enum StatusView {
    Off,
    SettingUp {
        /// The QR code of the otpauth:// URI.
        qr: QrPath,
        /// The seed in base32, in groups of four for reading aloud or typing.
        secret: String,
    },
    On {
        since: String,
    },
}

/// The QR code as an SVG path: a unit square per dark module, drawn by the template, so the
/// page carries no markup it did not escape.
pub struct QrPath {
    /// Modules per side, with the four-module quiet zone around them.
    pub size: usize,
    pub path: String,
}

fn qr_path(uri: &str) -> AppResult<QrPath> {
    const QUIET: usize = 4;
    let code = QrCode::new(uri.as_bytes())
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let width = code.width();
    let mut path = String::with_capacity(width * width * 6);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(QrPath {
        size: width + 2 * QUIET,
        path,
    })
}

fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn settings_page(
    state: &AppState,
    current: &CurrentPerson,
    layout: Layout,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    settings_page_with(state, current, layout, errors, false, Typed::default()).await
}

pub(super) async fn settings_page_with(
    state: &AppState,
    current: &CurrentPerson,
    layout: Layout,
    errors: FormErrors,
    required_elsewhere: bool,
    typed: Typed,
) -> AppResult<HttpResponse> {
    let overview = two_factor::overview(state, &current.person).await?;
    let is_on = overview.is_on();
    let status = match overview.app {
        Status::Off => StatusView::Off,
        Status::SettingUp(enrolment) => StatusView::SettingUp {
            qr: qr_path(&enrolment.uri)?,
            secret: grouped(&enrolment.secret),
        },
        Status::On { since } => StatusView::On {
            since: layout.locale.date(since),
        },
    };
    let passkeys = overview
        .passkeys
        .into_iter()
        .map(|passkey| PasskeyRow {
            id: passkey.id,
            name: passkey.name,
            added: layout.locale.date(passkey.created_at),
            last_used: passkey
                .last_used_at
                .map(|at| layout.locale.date(at))
                .unwrap_or_default(),
        })
        .collect();
    let page = SettingsPage {
        required_elsewhere: required_elsewhere && !is_on,
        recovery_codes_left: is_on.then_some(overview.recovery_codes_left),
        passkeys,
        passkeys_offered: state.passkeys.is_some(),
        passkey_name: typed.passkey_name,
        layout,
        status,
        errors,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn settings(
    state: web::Data<AppState>,
    current: CurrentPerson,
    layout: Layout,
    query: web::Query<SettingsQuery>,
) -> AppResult<HttpResponse> {
    let required_elsewhere = query.required.is_some();
    settings_page_with(
        &state,
        &current,
        layout,
        FormErrors::default(),
        required_elsewhere,
        Typed::default(),
    )
    .await
}

/// "Set up two-factor authentication": a new seed, shown on the settings page until a code
/// from the app confirms it. Starting again gives a new one.
pub async fn begin_setup(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    Form(_): Form<super::sessions::EmptyForm>,
) -> AppResult<HttpResponse> {
    if !two_factor::begin_setup(&state, current.person.person_id()).await? {
        session.set_flash(&layout.t(messages::TWO_FACTOR_ALREADY_ON))?;
    }
    Ok(see_other("/account/two-factor"))
}

#[derive(Template)]
#[template(path = "my_login/recovery_codes.html")]
pub(super) struct RecoveryCodesPage {
    pub layout: Layout,
    pub codes: Vec<String>,
    /// Shown after turning two-factor authentication on, rather than after replacing the codes.
    pub just_turned_on: bool,
}

pub async fn confirm_setup(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    // Only the app's six digits set it up: a recovery code does not exist yet.
    match SecondFactor::parse(&form.code) {
        Ok(SecondFactor::Code(code)) => {
            match two_factor::confirm_setup(&state, &current.person, &code, ip).await? {
                Ok(codes) => {
                    let page = RecoveryCodesPage {
                        layout,
                        codes,
                        just_turned_on: true,
                    };
                    return Ok(render_page(StatusCode::OK, &page));
                }
                Err(SetupRefusal::WrongCode) => {
                    errors.add("code", layout.t(messages::SETUP_CODE_WRONG))
                }
                Err(SetupRefusal::NotSettingUp) => {
                    session.set_flash(&layout.t(messages::TWO_FACTOR_ALREADY_ON))?;
                    return Ok(see_other("/account/two-factor"));
                }
            }
        }
        Ok(SecondFactor::RecoveryCode(_)) | Err(SecondFactorError::Malformed) => {
            errors.add("code", layout.t(messages::SETUP_CODE_FORMAT))
        }
        Err(SecondFactorError::Empty) => errors.add("code", layout.t(messages::SETUP_CODE_EMPTY)),
    }
    settings_page(&state, &current, layout, errors).await
}

/// The form's password, or the page's error for it: missing, or (after `check`) wrong.
fn password_error(layout: &Layout, field: &str, message: &str) -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add(field, layout.t(message));
    errors
}

/// New recovery codes in place of the old, after the current password.
pub async fn replace_recovery_codes(
    state: web::Data<AppState>,
    current: CurrentPerson,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<NewCodesForm>,
) -> AppResult<HttpResponse> {
    const FIELD: &str = "codes_password";
    if form.codes_password.is_empty() {
        let errors = password_error(&layout, FIELD, messages::ENTER_PASSWORD);
        return settings_page(&state, &current, layout, errors).await;
    }
    match two_factor::replace_recovery_codes(&state, &current.person, form.codes_password, ip)
        .await?
    {
        Some(codes) => {
            let page = RecoveryCodesPage {
                layout,
                codes,
                just_turned_on: false,
            };
            Ok(render_page(StatusCode::OK, &page))
        }
        None => {
            let errors = password_error(&layout, FIELD, messages::WRONG_CURRENT_PASSWORD);
            settings_page(&state, &current, layout, errors).await
        }
    }
}

/// Turns two-factor authentication off, after the current password.
pub async fn turn_off(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<TurnOffForm>,
) -> AppResult<HttpResponse> {
    const FIELD: &str = "current_password";
    if form.current_password.is_empty() {
        let errors = password_error(&layout, FIELD, messages::ENTER_PASSWORD);
        return settings_page(&state, &current, layout, errors).await;
    }
    if two_factor::turn_off(&state, &current.person, form.current_password, ip).await? {
        session.set_flash(&layout.t(messages::FLASH_TWO_FACTOR_OFF))?;
        return Ok(see_other("/account/two-factor"));
    }
    let errors = password_error(&layout, FIELD, messages::WRONG_CURRENT_PASSWORD);
    settings_page(&state, &current, layout, errors).await
}
