//! GET and POST /verify-email — the link in the verification mail.
//!
//! GET with `?token=` moves the token (as a hash) into the session and redirects to the clean
//! URL, so the token leaves no trace in history, logs or Referer (R11). GET without it shows a
//! button; only the POST uses the link up, so a mail scanner that opens links cannot (R7).

use actix_web::{HttpResponse, http::StatusCode, web};
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

fn invalid_link(state: &AppState, session: &TypedSession) -> AppResult<HttpResponse> {
    let page = InvalidLinkPage {
        layout: Layout::new(session, None, state.dev_mailbox.is_some())?,
    };
    Ok(render_page(StatusCode::GONE, &page))
}

pub async fn show(
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        if !crate::secrets::looks_like_a_token(token) {
            session.forget_link_token(LinkKind::Verification);
            return invalid_link(&state, &session);
        }
        session.hold_link_token(LinkKind::Verification, token)?;
        return Ok(see_other("/verify-email"));
    }
    if session
        .held_link_token_hash(LinkKind::Verification)
        .is_none()
    {
        return invalid_link(&state, &session);
    }
    let page = ConfirmPage {
        layout: Layout::new(&session, None, state.dev_mailbox.is_some())?,
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn confirm(
    state: web::Data<AppState>,
    session: TypedSession,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Verification) else {
        return invalid_link(&state, &session);
    };
    session.forget_link_token(LinkKind::Verification);
    match accounts::verify_email(&state, token_hash).await? {
        Some(person_id) => {
            session.set_flash(messages::FLASH_EMAIL_VERIFIED)?;
            let signed_in_as_them = session.person_id() == Some(person_id);
            Ok(see_other(if signed_in_as_them {
                "/account"
            } else {
                "/sign-in"
            }))
        }
        None => invalid_link(&state, &session),
    }
}
