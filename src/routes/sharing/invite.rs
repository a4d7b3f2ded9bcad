//! GET and POST /sharing/invite — "Invite user" (SPEC S7).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};

use super::{
    QuotaView,
    access_form::{self, AccessInput, AccountNames, FormAction, RowInput},
};
use crate::{
    domain::{email::EmailAddress, quota::AdvancedSummary, role::Grant},
    error::AppResult,
    messages,
    services::sharing::{self, AccountRef, Owner, Refusal},
    state::AppState,
    web::{
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

use askama::Template;

/// The invite and edit forms: the same rows, with or without an email field.
#[derive(Template)]
#[template(path = "sharing/access_form.html")]
pub struct AccessFormPage {
    pub layout: Layout,
    pub errors: FormErrors,
    pub heading: String,
    pub form_action: String,
    pub submit_label: &'static str,
    pub with_email: bool,
    pub email: String,
    pub rows: Vec<access_form::RowView>,
    pub has_sub_accounts: bool,
    pub addable: Vec<(String, String)>,
    pub quota: QuotaView,
    /// Shown before sending an invitation that uses an advanced access (S5).
    pub check: Option<AdvancedSummary>,
}

pub struct FormContext {
    pub names: AccountNames,
    pub quota: QuotaView,
    pub limits: crate::domain::plan::Limits,
}

pub async fn form_context(state: &AppState, owner: &Owner) -> AppResult<FormContext> {
    let overview = sharing::form_context(state, owner).await?;
    Ok(FormContext {
        names: AccountNames::new(&overview.0),
        quota: QuotaView::new(overview.1, overview.2),
        limits: overview.1,
    })
}

pub struct Shown<'a> {
    pub heading: String,
    pub form_action: String,
    pub submit_label: &'static str,
    pub with_email: bool,
    pub state: &'a AppState,
    pub session: &'a TypedSession,
    pub owner: &'a Owner,
}

pub fn show(
    shown: Shown,
    context: FormContext,
    input: &AccessInput,
    errors: FormErrors,
    check: Option<AdvancedSummary>,
) -> AppResult<HttpResponse> {
    let status = errors.status();
    let page = AccessFormPage {
        layout: Layout::new(
            shown.session,
            Some(&shown.owner.name),
            shown.state.dev_mailbox.is_some(),
        )?,
        rows: access_form::row_views(&input.rows, &context.names, &errors, context.limits),
        errors,
        heading: shown.heading,
        form_action: shown.form_action,
        submit_label: shown.submit_label,
        with_email: shown.with_email,
        email: input.email.clone(),
        has_sub_accounts: context.names.has_sub_accounts(),
        addable: context.names.addable(&input.rows),
        quota: context.quota,
        check,
    };
    Ok(render_page(status, &page))
}

fn shown<'a>(state: &'a AppState, session: &'a TypedSession, owner: &'a Owner) -> Shown<'a> {
    Shown {
        heading: messages::INVITE_USER.to_owned(),
        form_action: "/sharing/invite".to_owned(),
        submit_label: messages::SEND_INVITATION,
        with_email: true,
        state,
        session,
        owner,
    }
}

pub async fn new(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
) -> AppResult<HttpResponse> {
    let context = form_context(&state, &owner).await?;
    // Without sub-accounts there is only the master account to share: no list to pick from.
    let rows = if context.names.has_sub_accounts() {
        Vec::new()
    } else {
        vec![RowInput::new(AccountRef::Master)]
    };
    let input = AccessInput::blank(rows);
    show(
        shown(&state, &session, &owner),
        context,
        &input,
        FormErrors::default(),
        None,
    )
}

/// What became of "Send invitation".
enum Sending {
    Sent,
    /// The invitation uses an advanced access: show how many remain before sending (S5).
    CheckFirst(AdvancedSummary),
    Refused(Refusal),
}

async fn send(
    state: &AppState,
    owner: &Owner,
    confirmed: bool,
    email: &EmailAddress,
    grants: Vec<(AccountRef, Grant)>,
) -> AppResult<Sending> {
    if !confirmed {
        match sharing::preview(state, owner, email.clone(), grants.clone()).await? {
            Err(refusal) => return Ok(Sending::Refused(refusal)),
            Ok(summary) if summary.uses_advanced_access => return Ok(Sending::CheckFirst(summary)),
            Ok(_) => {}
        }
    }
    Ok(
        match sharing::invite(state, owner, email.clone(), grants).await? {
            Ok(_) => Sending::Sent,
            Err(refusal) => Sending::Refused(refusal),
        },
    )
}

pub async fn create(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    Form(fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let mut input = access_form::parse(&fields, true)?;
    let context = form_context(&state, &owner).await?;
    let mut errors = access_form::apply(&mut input, &context.names)?;
    let mut check = None;
    if input.action == FormAction::Send {
        let email = errors.check(
            "email",
            EmailAddress::parse(&input.email),
            messages::email_error,
        );
        let grants = access_form::grants(&input.rows, &context.names, &mut errors);
        if let Some(email) = email.filter(|_| errors.is_empty()) {
            match send(&state, &owner, input.confirmed, &email, grants).await? {
                Sending::Sent => {
                    session.set_flash(&messages::flash_invited(email.as_str()))?;
                    return Ok(see_other("/sharing"));
                }
                Sending::CheckFirst(summary) => check = Some(summary),
                Sending::Refused(refusal) => access_form::add_refusal(
                    &mut errors,
                    refusal,
                    &input.rows,
                    context.limits,
                    email.as_str(),
                ),
            }
        }
    }
    show(
        shown(&state, &session, &owner),
        context,
        &input,
        errors,
        check,
    )
}
