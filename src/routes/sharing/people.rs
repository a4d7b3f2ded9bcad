//! Manage → Edit, Delete access, Re-send invitation (SPEC S9), at /sharing/people/{id}/….

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

use super::{
    access_form::{self, AccessInput, FormAction, RowInput},
    invite::{Shown, form_context, show},
};
use crate::{
    error::AppResult,
    messages,
    routes::sessions::EmptyForm,
    services::sharing::{self, Owner},
    state::AppState,
    web::{
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

fn shown<'a>(
    state: &'a AppState,
    session: &'a TypedSession,
    owner: &'a Owner,
    id: i64,
    email: &str,
) -> Shown<'a> {
    Shown {
        heading: messages::edit_access_heading(email),
        form_action: format!("/sharing/people/{id}/edit"),
        submit_label: messages::UPDATE_ACCESS,
        with_email: false,
        state,
        session,
        owner,
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (member, grants) = sharing::member(&state, &owner, *id).await?;
    let context = form_context(&state, &owner).await?;
    let rows = grants
        .into_iter()
        .map(|(account, grant)| RowInput::from_grant(account, grant))
        .collect();
    let input = AccessInput::blank(rows);
    show(
        shown(&state, &session, &owner, member.id, &member.email),
        context,
        &input,
        FormErrors::default(),
        None,
    )
}

pub async fn update(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (member, _) = sharing::member(&state, &owner, *id).await?;
    let mut input = access_form::parse(&fields, false)?;
    let context = form_context(&state, &owner).await?;
    let mut errors = access_form::apply(&mut input, &context.names)?;
    if input.action == FormAction::Send {
        let grants = access_form::grants(&input.rows, &context.names, &mut errors);
        if errors.is_empty() {
            match sharing::edit(&state, &owner, member.id, grants).await? {
                Ok(_) => {
                    session.set_flash(&messages::flash_updated(&member.email))?;
                    return Ok(see_other("/sharing"));
                }
                Err(refusal) => access_form::add_refusal(
                    &mut errors,
                    refusal,
                    &input.rows,
                    context.limits,
                    &member.email,
                ),
            }
        }
    }
    show(
        shown(&state, &session, &owner, member.id, &member.email),
        context,
        &input,
        errors,
        None,
    )
}

#[derive(Template)]
#[template(path = "sharing/delete.html")]
struct DeletePage {
    layout: Layout,
    id: i64,
    email: String,
    pending: bool,
}

/// "Delete access" asks first, on a page of its own (UX.md rule 12).
pub async fn confirm_delete(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (member, _) = sharing::member(&state, &owner, *id).await?;
    let page = DeletePage {
        layout: Layout::new(&session, Some(&owner.name), state.dev_mailbox.is_some())?,
        id: member.id,
        pending: member.accepted_at.is_none(),
        email: member.email,
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn delete(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let member = sharing::delete(&state, &owner, *id).await?;
    session.set_flash(&messages::flash_deleted(&member.email))?;
    Ok(see_other("/sharing"))
}

pub async fn resend(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let (member, _) = sharing::member(&state, &owner, *id).await?;
    let message = match sharing::resend(&state, &owner, member.id).await? {
        Some(_) => messages::flash_resent(&member.email),
        None => messages::flash_already_accepted(&member.email),
    };
    session.set_flash(&message)?;
    Ok(see_other("/sharing"))
}
