//! My account → the login itself: change password (/account/password), change the address
//! (/account/email, confirmed from a link sent to the new one) and "Sign out everywhere".

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::sessions::EmptyForm;
use crate::web::filters;
use crate::{
    db::person_links::Purpose,
    domain::{email::EmailAddress, name::DisplayName, password::NewPassword},
    error::AppResult,
    messages, secrets,
    services::login::{self, EmailChangeOutcome, EmailChangeRefusal},
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::{LinkKind, TypedSession},
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
}

#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "my_login/password.html")]
struct PasswordPage {
    layout: Layout,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "my_login/email.html")]
struct EmailPage {
    layout: Layout,
    current: String,
    email: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "my_login/email_sent.html")]
struct EmailSentPage {
    layout: Layout,
    email: String,
}

#[derive(Template)]
#[template(path = "my_login/email_confirm.html")]
struct EmailConfirmPage {
    layout: Layout,
    old: String,
    new: String,
}

#[derive(Template)]
#[template(path = "my_login/email_dead.html")]
struct EmailDeadPage {
    layout: Layout,
    taken: bool,
}

pub async fn edit_password(_current: CurrentPerson, layout: Layout) -> AppResult<HttpResponse> {
    let page = PasswordPage {
        layout,
        errors: FormErrors::default(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn update_password(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ip: ClientIp,
    Form(form): Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    if form.current_password.is_empty() {
        errors.add("current_password", layout.t(messages::ENTER_PASSWORD));
    }
    let email = EmailAddress::parse(&current.person.email).ok();
    let new = errors.check(
        "new_password",
        NewPassword::parse(&form.new_password, email.as_ref()),
        |e| messages::password_error(layout.locale, e),
    );
    if let (Some(new), true) = (new, errors.is_empty()) {
        if login::change_password(&state, &current.person, form.current_password, new, ip.0).await?
        {
            // Every session of the person has ended; this one continues under a new key.
            session.renew()?;
            session.set_flash(&layout.t(messages::FLASH_PASSWORD_CHANGED))?;
            return Ok(see_other("/account"));
        }
        errors.add(
            "current_password",
            layout.t(messages::WRONG_CURRENT_PASSWORD),
        );
    }
    let page = PasswordPage { layout, errors };
    Ok(render_page(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn edit_email(current: CurrentPerson, layout: Layout) -> AppResult<HttpResponse> {
    let page = EmailPage {
        layout,
        current: current.person.email,
        email: String::new(),
        errors: FormErrors::default(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn request_email(
    state: web::Data<AppState>,
    current: CurrentPerson,
    layout: Layout,
    ip: ClientIp,
    Form(form): Form<EmailForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&form.email), |e| {
        messages::email_error(layout.locale, e)
    });
    if form.current_password.is_empty() {
        errors.add("current_password", layout.t(messages::ENTER_PASSWORD));
    }
    if let (Some(email), true) = (&email, errors.is_empty()) {
        match login::request_email_change(
            &state,
            &current.person,
            email,
            form.current_password,
            ip.0,
        )
        .await?
        {
            Ok(()) => {
                let page = EmailSentPage {
                    layout,
                    email: email.as_str().to_owned(),
                };
                return Ok(render_page(StatusCode::OK, &page));
            }
            Err(EmailChangeRefusal::WrongPassword) => errors.add(
                "current_password",
                layout.t(messages::WRONG_CURRENT_PASSWORD),
            ),
            Err(EmailChangeRefusal::SameAddress) => {
                errors.add("email", layout.t(messages::EMAIL_SAME_AS_NOW))
            }
        }
    }
    let page = EmailPage {
        layout,
        current: current.person.email,
        email: form.email,
        errors,
    };
    Ok(render_page(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

fn email_link_dead(layout: Layout, session: &TypedSession, taken: bool) -> HttpResponse {
    session.forget_link_token(LinkKind::EmailChange);
    render_page(StatusCode::GONE, &EmailDeadPage { layout, taken })
}

/// The link in the mail to the new address: works from any browser, since it proves the new
/// address; the page asks before anything changes (R7).
pub async fn confirm_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        // Only a live link is kept: a made-up one is answered without storing anything.
        let live = secrets::looks_like_a_token(token)
            && login::link_owner(&state, Purpose::EmailChange, secrets::token_hash(token))
                .await?
                .is_some();
        if !live {
            return Ok(email_link_dead(Layout::of(&req)?, &session, false));
        }
        session.hold_link_token(LinkKind::EmailChange, token)?;
        return Ok(see_other("/account/email/confirm"));
    }
    let layout = Layout::of(&req)?;
    let Some(token_hash) = session.held_link_token_hash(LinkKind::EmailChange)? else {
        return Ok(email_link_dead(layout, &session, false));
    };
    match login::link_owner(&state, Purpose::EmailChange, token_hash).await? {
        Some((person, Some(new))) => {
            let page = EmailConfirmPage {
                layout,
                old: person.email,
                new,
            };
            Ok(render_page(StatusCode::OK, &page))
        }
        _ => Ok(email_link_dead(layout, &session, false)),
    }
}

pub async fn move_email(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::EmailChange)? else {
        return Ok(email_link_dead(layout, &session, false));
    };
    match login::confirm_email_change(&state, token_hash).await? {
        EmailChangeOutcome::Moved => {
            session.forget_link_token(LinkKind::EmailChange);
            session.set_flash(&layout.t(messages::FLASH_EMAIL_CHANGED))?;
            Ok(see_other(if session.person_id().is_some() {
                "/account"
            } else {
                "/sign-in"
            }))
        }
        EmailChangeOutcome::Taken => Ok(email_link_dead(layout, &session, true)),
        EmailChangeOutcome::LinkDead => Ok(email_link_dead(layout, &session, false)),
    }
}

#[derive(Template)]
#[template(path = "sessions/signed_out.html")]
struct SignedOutPage {
    layout: Layout,
}

/// Every session of the person ends, this one too.
pub async fn sign_out_everywhere(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    login::sign_out_everywhere(&state, current.person.person_id()).await?;
    session.sign_out();
    Ok(render_page(
        StatusCode::OK,
        &SignedOutPage {
            layout: Layout::signed_out(&req),
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

#[derive(Template)]
#[template(path = "my_login/name.html")]
struct NamePage {
    layout: Layout,
    name: String,
    errors: FormErrors,
}

pub async fn edit_name(current: CurrentPerson, layout: Layout) -> AppResult<HttpResponse> {
    let page = NamePage {
        layout,
        name: current.person.display_name,
        errors: FormErrors::default(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

/// The name owners and the people one shares with see; kept as typed when it cannot be used.
pub async fn update_name(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    Form(form): Form<NameForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    let Some(name) = errors.check("name", DisplayName::parse(&form.name), |e| {
        messages::display_name_error(layout.locale, e)
    }) else {
        let page = NamePage {
            layout,
            name: form.name,
            errors,
        };
        return Ok(render_page(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    login::change_name(&state, current.person.person_id(), &name).await?;
    session.set_flash(&layout.tr1("flash-name-changed", "name", name.as_str()))?;
    Ok(see_other("/account"))
}
