//! Manage → Edit, Delete access, Re-send invitation (SPEC S9), at /sharing/people/{id}/….

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

use super::access_form::{self, FormWords};
use crate::web::filters;
use crate::{
    domain::ids::MemberId,
    error::AppResult,
    i18n::Locale,
    messages,
    routes::other_account,
    routes::sessions::EmptyForm,
    services::sharing::{self, Decision, Submission},
    state::AppState,
    web::{
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

fn words(l: Locale, id: MemberId, email: &str, access_ends_on: String) -> FormWords {
    FormWords {
        access_ends_on,
        heading: messages::edit_access_heading(l, email),
        form_action: format!("/sharing/people/{id}/edit"),
        submit_label: l.t(messages::UPDATE_ACCESS),
        check_heading: l.t(messages::CHECK_BEFORE_UPDATING),
        email: None,
        emails: None,
        person: Some(email.to_owned()),
    }
}

pub async fn edit(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = MemberId(*id);
    let (member, form) = sharing::edit_form(&state, &owner, id).await?;
    let ends_on = member
        .access_ends_on
        .map(|date| date.to_string())
        .unwrap_or_default();
    Ok(access_form::show(
        layout,
        words(owner.locale, id, &member.email, ends_on),
        Submission::shown(form),
        FormErrors::default(),
    ))
}

pub async fn update(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    id: web::Path<i64>,
    Form(mut fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let form_account = fields.remove("for_account");
    if let Some(page) =
        other_account::refusal(&layout, &owner, form_account.as_deref(), "/sharing")?
    {
        return Ok(page);
    }
    let id = MemberId(*id);
    let (_, typed_end, mut command) = access_form::parse(&fields, None)?;
    let mut errors = FormErrors::default();
    let today = state.settings.clock.now().date_naive();
    let ends_on =
        access_form::end_date(layout.locale, &typed_end, today, &mut command, &mut errors);
    let (member, submission) = sharing::submit_edit(&state, &owner, id, ends_on, command).await?;
    if matches!(submission.decision, Decision::Done) {
        session.set_flash(&messages::flash_updated(owner.locale, &member.email))?;
        return Ok(see_other("/sharing"));
    }
    Ok(access_form::show(
        layout,
        words(owner.locale, id, &member.email, typed_end),
        submission,
        errors,
    ))
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
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let member = sharing::member(&state, &owner, MemberId(*id)).await?;
    let page = DeletePage {
        layout,
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
    let member = sharing::delete(&state, &owner, MemberId(*id)).await?;
    session.set_flash(&messages::flash_deleted(owner.locale, &member.email))?;
    Ok(see_other("/sharing"))
}

pub async fn resend(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    id: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let (member, resent) = sharing::resend(&state, &owner, MemberId(*id)).await?;
    let message = if resent {
        messages::flash_resent(owner.locale, &member.email)
    } else {
        messages::flash_already_accepted(owner.locale, &member.email)
    };
    session.set_flash(&message)?;
    Ok(see_other("/sharing"))
}
