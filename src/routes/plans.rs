//! GET and POST /plan — the owner's plan (SPEC S11).

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::other_account;
use crate::{
    domain::{plan::Plan, quota::PlanChangeVerdict},
    error::AppResult,
    messages,
    services::{owner::Owner, plans},
    state::AppState,
    web::{
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanForm {
    #[serde(default)]
    plan: String,
    /// "remove_restrictions" once the owner chose "Downgrade anyway".
    #[serde(default)]
    confirm: String,
    /// The master account the form was shown for.
    #[serde(default)]
    for_account: Option<String>,
}

pub struct PlanRow {
    code: &'static str,
    name: String,
    summary: String,
    current: bool,
    checked: bool,
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct PlanPage {
    layout: Layout,
    for_account: i64,
    errors: FormErrors,
    current_name: String,
    seats_used: u32,
    advanced_used: u32,
    plans: Vec<PlanRow>,
    /// What to reduce before the chosen downgrade can happen.
    reductions: Vec<String>,
    premium_people: Vec<String>,
}

#[derive(Template)]
#[template(path = "plans/downgrade.html")]
struct DowngradePage {
    layout: Layout,
    for_account: i64,
    plan_code: &'static str,
    plan_name: String,
    people: u32,
}

async fn plan_page(
    state: &AppState,
    layout: Layout,
    owner: &Owner,
    chosen: Option<Plan>,
    errors: FormErrors,
    reductions: Vec<String>,
    premium_people: Vec<String>,
) -> AppResult<HttpResponse> {
    let account = plans::state(state, owner).await?;
    let status = if reductions.is_empty() {
        errors.status()
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let l = layout.locale;
    let plans = Plan::self_serve()
        .map(|plan| PlanRow {
            code: plan.code(),
            name: messages::plan_name(l, plan),
            summary: messages::plan_summary(l, plan),
            current: plan == account.plan,
            checked: Some(plan) == chosen.or(Some(account.plan)),
        })
        .collect();
    let page = PlanPage {
        for_account: owner.master().0,
        layout,
        errors,
        current_name: messages::plan_name(l, account.plan),
        seats_used: account.usage.seats,
        advanced_used: account.usage.advanced_accesses,
        plans,
        reductions,
        premium_people,
    };
    Ok(render_page(status, &page))
}

pub async fn show(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    plan_page(
        &state,
        layout,
        &owner,
        None,
        FormErrors::default(),
        Vec::new(),
        Vec::new(),
    )
    .await
}

pub async fn change(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<PlanForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) =
        other_account::refusal(&layout, &owner, form.for_account.as_deref(), "/plan")?
    {
        return Ok(page);
    }
    let Some(target) = Plan::from_code(&form.plan).filter(|plan| *plan != Plan::Enterprise) else {
        let mut errors = FormErrors::default();
        errors.add("plan", layout.t(messages::CHOOSE_PLAN));
        return plan_page(&state, layout, &owner, None, errors, Vec::new(), Vec::new()).await;
    };
    match plans::change(
        &state,
        &owner,
        target,
        form.confirm == "remove_restrictions",
    )
    .await?
    {
        Ok(()) => {
            let l = owner.locale;
            session.set_flash(&messages::flash_plan_changed(
                l,
                &messages::plan_name(l, target),
            ))?;
            Ok(see_other("/plan"))
        }
        Err(judgement) => match judgement.verdict {
            PlanChangeVerdict::ReduceFirst {
                people_over,
                advanced_accesses_over,
            } => {
                let reductions =
                    messages::reductions(owner.locale, target, people_over, advanced_accesses_over);
                plan_page(
                    &state,
                    layout,
                    &owner,
                    Some(target),
                    FormErrors::default(),
                    reductions,
                    judgement.premium_people,
                )
                .await
            }
            PlanChangeVerdict::RemovesRestrictions { people } => {
                let page = DowngradePage {
                    layout,
                    for_account: owner.master().0,
                    plan_code: target.code(),
                    plan_name: messages::plan_name(owner.locale, target),
                    people,
                };
                Ok(render_page(StatusCode::OK, &page))
            }
            PlanChangeVerdict::Allowed => Ok(see_other("/plan")),
        },
    }
}
