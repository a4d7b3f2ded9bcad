//! GET and POST /sharing/invite — "Invite user" (SPEC S7, S13).

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

use super::{
    Invitable, QuotaView,
    access_form::{self, FormWords},
};
use crate::{
    domain::email::EmailAddress,
    error::AppResult,
    i18n::Locale,
    messages,
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

fn words(l: Locale, email: String, access_ends_on: String) -> FormWords {
    FormWords {
        access_ends_on,
        heading: l.t(messages::INVITE_USER),
        form_action: "/sharing/invite".to_owned(),
        submit_label: l.t(messages::SEND_INVITATION),
        check_heading: l.t(messages::CHECK_BEFORE_SENDING),
        email: Some(email),
    }
}

/// Said instead of a form that could only fail: the plan has no place left, or no sharing.
#[derive(Template)]
#[template(path = "sharing/cannot_invite.html")]
struct CannotInvitePage {
    layout: Layout,
    quota: QuotaView,
    reason: Invitable,
    email: String,
}

pub async fn new(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    let form = sharing::invite_form(&state, &owner).await?;
    let reason = Invitable::judge(owner.verified, form.context.limits, form.context.usage);
    if reason != Invitable::Yes {
        let page = CannotInvitePage {
            layout,
            quota: QuotaView::new(owner.locale, form.context.limits, form.context.usage),
            reason,
            email: owner.email,
        };
        return Ok(render_page(StatusCode::OK, &page));
    }
    Ok(access_form::show(
        layout,
        words(owner.locale, String::new(), String::new()),
        Submission::shown(form),
        FormErrors::default(),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (typed_email, typed_end, mut command) = access_form::parse(&fields, true)?;
    let mut errors = FormErrors::default();
    let today = state.settings.clock.now().date_naive();
    let ends_on =
        access_form::end_date(layout.locale, &typed_end, today, &mut command, &mut errors);
    let sending = command.action == crate::domain::access_draft::DraftAction::Send;
    let email = if sending {
        errors.check("email", EmailAddress::parse(&typed_email), |e| {
            messages::email_error(layout.locale, e)
        })
    } else {
        None
    };
    let submission =
        sharing::submit_invitation(&state, &owner, email.clone(), ends_on, command).await?;
    if let (Decision::Done, Some(email)) = (&submission.decision, email) {
        session.set_flash(&messages::flash_invited(owner.locale, email.as_str()))?;
        return Ok(see_other("/sharing"));
    }
    Ok(access_form::show(
        layout,
        words(owner.locale, typed_email, typed_end),
        submission,
        errors,
    ))
}
