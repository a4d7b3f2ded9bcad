//! /sharing/security — "Require two-factor authentication for everyone with access to my
//! accounts" (issue 22): the owner's setting, who it holds back, and a record of each change.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::{
    error::AppResult,
    messages,
    routes::other_account,
    services::{
        owner::Owner,
        two_factor::{self, RequireRefusal},
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

/// A box left unticked is not sent at all.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementForm {
    #[serde(default)]
    required: Option<String>,
    /// The master account the form was shown for.
    #[serde(default)]
    for_account: Option<String>,
}

#[derive(Template)]
#[template(path = "sharing/security.html")]
struct SecurityPage {
    layout: Layout,
    for_account: i64,
    /// The date it has been required since, when it is.
    since: Option<String>,
    /// The box as shown: as stored, or as sent when the form was refused.
    required: bool,
    members: i64,
    members_without: i64,
    owner_has_one: bool,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    owner: &Owner,
    layout: Layout,
    shown_required: Option<bool>,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let requirement = two_factor::requirement(state, owner).await?;
    let page = SecurityPage {
        for_account: owner.master().0,
        since: requirement.since.map(|since| layout.locale.date(since)),
        required: shown_required.unwrap_or(requirement.since.is_some()),
        members: requirement.members,
        members_without: requirement.members_without,
        owner_has_one: requirement.owner_has_one,
        errors,
        layout,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn show(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(&state, &owner, layout, None, FormErrors::default()).await
}

pub async fn update(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<RequirementForm>,
) -> AppResult<HttpResponse> {
    let back = "/sharing/security";
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), back)?
    {
        return Ok(page);
    }
    let required = form.required.is_some();
    match two_factor::set_requirement(&state, &owner, required).await? {
        Ok(()) => {
            session.set_flash(&layout.t(if required {
                messages::FLASH_TWO_FACTOR_REQUIRED
            } else {
                messages::FLASH_TWO_FACTOR_NOT_REQUIRED
            }))?;
            Ok(see_other(back))
        }
        Err(RequireRefusal::OwnerHasNone) => {
            let mut errors = FormErrors::default();
            errors.add("required", layout.t(messages::REQUIRE_OWN_FIRST));
            page(&state, &owner, layout, Some(required), errors).await
        }
    }
}
