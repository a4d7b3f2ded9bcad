//! GET and POST /verify-email — the link in the verification mail.
//!
//! GET with `?token=` moves the token (as a hash) into the session and redirects to the clean
//! URL, so the token leaves no trace in history, logs or Referer (R11). GET without it shows a
//! button; only the POST uses the link up, so a mail scanner that opens links cannot (R7).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::sessions::EmptyForm;
use crate::{
    error::AppResult,
    messages,
    services::accounts,
    state::AppState,
    web::{
        form::Form,
        layout::Layout,
        locale,
        render::{render_page, see_other},
        session::{LinkKind, TypedSession},
    },
};

#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "verify_email/confirm.html")]
struct ConfirmPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "verify_email/invalid.html")]
struct InvalidLinkPage {
    layout: Layout,
}

fn invalid_link(layout: Layout) -> HttpResponse {
    render_page(StatusCode::GONE, &InvalidLinkPage { layout })
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        // Only a live link is kept: a made-up one is answered without storing anything.
        let live = crate::secrets::looks_like_a_token(token)
            && accounts::verification_link_is_live(&state, crate::secrets::token_hash(token))
                .await?;
        if !live {
            session.forget_link_token(LinkKind::Verification);
            return Ok(invalid_link(Layout::of(&req)?));
        }
        session.hold_link_token(LinkKind::Verification, token)?;
        return Ok(see_other("/verify-email"));
    }
    let layout = Layout::of(&req)?;
    if session
        .held_link_token_hash(LinkKind::Verification)?
        .is_none()
    {
        return Ok(invalid_link(layout));
    }
    Ok(render_page(StatusCode::OK, &ConfirmPage { layout }))
}

/// Uses the link up, and signs its person in: the sign-up finishes in their account.
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Verification)? else {
        return Ok(invalid_link(Layout::of(&req)?));
    };
    session.forget_link_token(LinkKind::Verification);
    match accounts::verify_email(&state, token_hash).await? {
        Some(signed_in) => {
            let current = locale::locale_of(&req);
            let second_step =
                super::two_factor::start_session(&state, &session, &signed_in, "/accounts")?;
            session.set_flash(&current.t(messages::FLASH_EMAIL_VERIFIED))?;
            if let Some(second_step) = second_step {
                return Ok(second_step);
            }
            super::sessions::signed_in_to(&state, &signed_in, current, "/accounts").await
        }
        None => Ok(invalid_link(Layout::of(&req)?)),
    }
}
