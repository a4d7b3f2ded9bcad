//! "Forgot your password?": /password-reset asks for the address, and the mailed link at
//! /password-reset/new chooses the new password. As with every link, the token moves into the
//! session (as a hash) and the page has a clean address (R11); only the POST uses it up (R7).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::web::filters;
use crate::{
    db::person_links::Purpose,
    domain::{email::EmailAddress, password::NewPassword},
    error::AppResult,
    messages, secrets,
    services::{
        limits::{self, Limited},
        login,
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::{LinkKind, TypedSession},
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressForm {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "password_reset/request.html")]
struct RequestPage {
    layout: Layout,
    email: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "password_reset/sent.html")]
struct SentPage {
    layout: Layout,
    email: String,
}

#[derive(Template)]
#[template(path = "password_reset/new.html")]
struct NewPasswordPage {
    layout: Layout,
    email: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "password_reset/dead.html")]
struct DeadLinkPage {
    layout: Layout,
}

fn request_page(layout: Layout, email: String, errors: FormErrors) -> HttpResponse {
    let status = errors.status();
    render_page(
        status,
        &RequestPage {
            layout,
            email,
            errors,
        },
    )
}

fn dead_link(layout: Layout, session: &TypedSession) -> HttpResponse {
    session.forget_link_token(LinkKind::PasswordReset);
    render_page(StatusCode::GONE, &DeadLinkPage { layout })
}

/// `?email=`: the address typed on the sign-in page, carried by "Forgot your password?".
#[derive(Deserialize)]
pub struct RequestQuery {
    email: Option<String>,
}

pub async fn new_request(
    layout: Layout,
    query: web::Query<RequestQuery>,
) -> AppResult<HttpResponse> {
    let email = query
        .email
        .as_deref()
        .filter(|email| EmailAddress::parse(email).is_ok())
        .unwrap_or_default()
        .to_owned();
    Ok(request_page(layout, email, FormErrors::default()))
}

/// The same page whether or not the address has a login (R22), and counted per address and IP.
pub async fn create_request(
    state: web::Data<AppState>,
    layout: Layout,
    ip: ClientIp,
    Form(form): Form<AddressForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", EmailAddress::parse(&form.email), |e| {
        messages::email_error(layout.locale, e)
    }) else {
        return Ok(request_page(layout, form.email, errors));
    };
    let attempts = vec![
        (Limited::PasswordResetPerAddress, email.as_str().to_owned()),
        (Limited::PasswordResetPerIp, ip.key()),
    ];
    limits::count_all(&state, attempts).await?;
    login::request_password_reset(&state, &email).await?;
    let page = SentPage {
        layout,
        email: email.as_str().to_owned(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn choose(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        // Only a live link is kept: a made-up one is answered without storing anything.
        let live = secrets::looks_like_a_token(token)
            && login::link_owner(&state, Purpose::PasswordReset, secrets::token_hash(token))
                .await?
                .is_some();
        if !live {
            return Ok(dead_link(Layout::of(&req)?, &session));
        }
        session.hold_link_token(LinkKind::PasswordReset, token)?;
        return Ok(see_other("/password-reset/new"));
    }
    let layout = Layout::of(&req)?;
    let Some(token_hash) = session.held_link_token_hash(LinkKind::PasswordReset)? else {
        return Ok(dead_link(layout, &session));
    };
    let Some((person, _)) = login::link_owner(&state, Purpose::PasswordReset, token_hash).await?
    else {
        return Ok(dead_link(layout, &session));
    };
    let page = NewPasswordPage {
        layout,
        email: person.email,
        errors: FormErrors::default(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn set(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
    ip: ClientIp,
    Form(form): Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::PasswordReset)? else {
        return Ok(dead_link(layout, &session));
    };
    let Some((person, _)) =
        login::link_owner(&state, Purpose::PasswordReset, token_hash.clone()).await?
    else {
        return Ok(dead_link(layout, &session));
    };
    let mut errors = FormErrors::default();
    let email = EmailAddress::parse(&person.email).ok();
    let Some(password) = errors.check(
        "password",
        NewPassword::parse(&form.password, email.as_ref()),
        |e| messages::password_error(layout.locale, e),
    ) else {
        let page = NewPasswordPage {
            layout,
            email: person.email,
            errors,
        };
        return Ok(render_page(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    // Counted once the form is valid: a mistyped form costs nothing and changes nothing.
    limits::count_all(&state, vec![(Limited::PasswordResetPerIp, ip.key())]).await?;
    match login::reset_password(&state, token_hash, password).await? {
        Some(signed_in) => {
            session.forget_link_token(LinkKind::PasswordReset);
            // A new password never removes the second factor: it is asked for next.
            let second_step =
                super::two_factor::start_session(&state, &session, &signed_in, "/accounts")?;
            session.set_flash(&layout.t(messages::FLASH_PASSWORD_RESET))?;
            Ok(second_step.unwrap_or_else(|| see_other("/accounts")))
        }
        None => Ok(dead_link(layout, &session)),
    }
}
