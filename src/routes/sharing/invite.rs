//! GET and POST /sharing/invite — "Invite user" (SPEC S7, S13) — and /sharing/invite/many —
//! "Invite several people": up to 50 pasted addresses with the same access (SPEC S12).

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::{
    Invitable, QuotaView,
    access_form::{self, FormWords},
};
use crate::web::filters;
use crate::{
    domain::{email::EmailAddress, ids::AccountRef, invitation},
    error::AppResult,
    i18n::Locale,
    messages,
    routes::other_account,
    services::{
        owner::Owner,
        sharing::{
            self, BatchOutcome, BatchSubmission, Decision, ListProblem, Refusal, Submission,
        },
    },
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
        emails: None,
        person: None,
    }
}

fn batch_words(l: Locale, emails: String, access_ends_on: String) -> FormWords {
    FormWords {
        access_ends_on,
        heading: l.t("batch-title"),
        form_action: "/sharing/invite/many".to_owned(),
        submit_label: l.t("batch-send"),
        check_heading: l.t(messages::CHECK_BEFORE_SENDING),
        email: None,
        emails: Some(emails),
        person: None,
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

/// `?account=` names an account to start with, as "Share it" after creating a sub-account does.
#[derive(Deserialize)]
pub struct StartQuery {
    account: Option<String>,
}

pub async fn new(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    query: web::Query<StartQuery>,
) -> AppResult<HttpResponse> {
    let words = words(owner.locale, String::new(), String::new());
    let start_with = query.account.as_deref().and_then(AccountRef::parse);
    empty_form(&state, owner, layout, words, start_with).await
}

/// The invite or batch form as first shown, or what stands in the way of inviting anyone.
async fn empty_form(
    state: &AppState,
    owner: Owner,
    layout: Layout,
    words: FormWords,
    start_with: Option<AccountRef>,
) -> AppResult<HttpResponse> {
    let form = sharing::invite_form(state, &owner, start_with).await?;
    let reason = Invitable::judge(owner.verified, form.context.limits, form.context.usage);
    if reason != Invitable::Yes {
        let page = CannotInvitePage {
            layout,
            quota: QuotaView::new(form.context.limits, form.context.usage),
            reason,
            email: owner.email,
        };
        return Ok(render_page(StatusCode::OK, &page));
    }
    Ok(access_form::show(
        layout,
        words,
        Submission::shown(form),
        FormErrors::default(),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(mut fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let form_account = fields.remove("for_account");
    let back = "/sharing/invite";
    if let Some(page) = other_account::refusal(&layout, &owner, form_account.as_deref(), back)? {
        return Ok(page);
    }
    let (typed_email, typed_end, mut command) = access_form::parse(&fields, Some("email"))?;
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

pub async fn new_batch(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    let words = batch_words(owner.locale, String::new(), String::new());
    empty_form(&state, owner, layout, words, None).await
}

/// One address of a batch and what became of it.
pub struct OutcomeRow {
    pub address: String,
    pub outcome: String,
    pub invited: bool,
}

#[derive(Template)]
#[template(path = "sharing/batch_result.html")]
struct BatchResultPage {
    layout: Layout,
    summary: String,
    rows: Vec<OutcomeRow>,
    /// The addresses not invited, one per line, to try again with another access or plan.
    not_invited: String,
}

fn outcome_words(l: Locale, outcome: &BatchOutcome) -> String {
    match outcome {
        BatchOutcome::Invited => l.t("batch-invited"),
        BatchOutcome::ListedTwice => l.t("batch-listed-twice"),
        BatchOutcome::Invalid(error) => messages::email_error(l, *error),
        BatchOutcome::Refused(Refusal::OwnAddress) => l.t("batch-own-address"),
        BatchOutcome::Refused(Refusal::AlreadyHasAccess) => l.t("batch-already-has-access"),
        BatchOutcome::Refused(Refusal::Quota(refusal)) => l.tr1(
            "batch-over-limit",
            "reason",
            messages::quota_refusal(l, *refusal),
        ),
    }
}

pub async fn create_batch(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(mut fields): Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let form_account = fields.remove("for_account");
    let back = "/sharing/invite/many";
    if let Some(page) = other_account::refusal(&layout, &owner, form_account.as_deref(), back)? {
        return Ok(page);
    }
    let l = layout.locale;
    let (pasted, typed_end, mut command) = access_form::parse(&fields, Some("emails"))?;
    let mut errors = FormErrors::default();
    let today = state.settings.clock.now().date_naive();
    let ends_on = access_form::end_date(l, &typed_end, today, &mut command, &mut errors);
    let addresses = invitation::addresses_in(&pasted)
        .iter()
        .map(|typed| ((*typed).to_owned(), EmailAddress::parse(typed)))
        .collect();
    let BatchSubmission {
        submission,
        list_problem,
        outcomes,
    } = sharing::submit_batch(&state, &owner, addresses, ends_on, command).await?;
    match list_problem {
        Some(ListProblem::NoAddress) => errors.add("emails", l.t("batch-no-address")),
        Some(ListProblem::TooMany { count }) => errors.add(
            "emails",
            l.tr2(
                "batch-too-many",
                "max",
                invitation::MAX_ADDRESSES_AT_ONCE,
                "count",
                count,
            ),
        ),
        None => {}
    }
    if !matches!(submission.decision, Decision::Done) {
        return Ok(access_form::show(
            layout,
            batch_words(l, pasted, typed_end),
            submission,
            errors,
        ));
    }
    let invited = outcomes
        .iter()
        .filter(|(_, outcome)| *outcome == BatchOutcome::Invited)
        .count();
    let not_invited: Vec<&str> = outcomes
        .iter()
        .filter(|(_, outcome)| {
            !matches!(
                outcome,
                BatchOutcome::Invited
                    | BatchOutcome::ListedTwice
                    | BatchOutcome::Refused(Refusal::AlreadyHasAccess | Refusal::OwnAddress)
            )
        })
        .map(|(address, _)| address.as_str())
        .collect();
    let page = BatchResultPage {
        summary: l.tr2("batch-summary", "invited", invited, "count", outcomes.len()),
        not_invited: not_invited.join("\n"),
        rows: outcomes
            .iter()
            .map(|(address, outcome)| OutcomeRow {
                address: address.clone(),
                outcome: outcome_words(l, outcome),
                invited: *outcome == BatchOutcome::Invited,
            })
            .collect(),
        layout,
    };
    Ok(render_page(StatusCode::OK, &page))
}
