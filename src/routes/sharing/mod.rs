//! The sharing pages: the overview ("Share your account"), inviting, and managing each person's
//! access. All of them are the owner's alone.

pub mod access_form;
pub mod invite;
pub mod people;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

use crate::{
    domain::{invitation::AccessStatus, plan::Limits, quota::Usage},
    error::AppResult,
    messages,
    services::sharing::{self, AccountRef, Delivery, MemberView},
    state::AppState,
    web::{current::CurrentOwner, layout::Layout, render::render_page, session::TypedSession},
};

use access_form::AccountNames;

/// "People: 2 of 5 · Advanced accesses: 1 of 2", the quota line of S5.
pub struct QuotaView {
    pub seats_used: u32,
    pub seats: u32,
    pub advanced_used: u32,
    pub advanced: u32,
}

impl QuotaView {
    pub fn new(limits: Limits, usage: Usage) -> QuotaView {
        QuotaView {
            seats_used: usage.seats,
            seats: limits.seats,
            advanced_used: usage.advanced_accesses,
            advanced: limits.advanced_accesses,
        }
    }
}

pub struct AccessLine {
    pub account: String,
    pub role: &'static str,
    /// For Custom, the areas ticked; a predefined role's name says it all.
    pub areas: Vec<&'static str>,
    pub restrictions: Vec<&'static str>,
}

pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub accesses: Vec<AccessLine>,
    pub status: &'static str,
    pub status_class: &'static str,
    pub delivery: Option<&'static str>,
    pub last_sign_in: String,
    pub can_resend: bool,
}

#[derive(Template)]
#[template(path = "sharing/index.html")]
struct SharePage {
    layout: Layout,
    owner_email: String,
    owner_name: String,
    quota: QuotaView,
    people: Vec<PersonRow>,
}

pub fn access_lines(
    names: &AccountNames,
    grants: &[(AccountRef, crate::domain::role::Grant)],
) -> Vec<AccessLine> {
    grants
        .iter()
        .map(|(account, grant)| AccessLine {
            account: names.label(*account),
            role: messages::role_name(grant.role),
            areas: match grant.role {
                crate::domain::role::Role::Custom => {
                    grant.areas.iter().map(messages::area_name).collect()
                }
                _ => Vec::new(),
            },
            restrictions: grant
                .restrictions
                .iter()
                .map(messages::restriction_label)
                .collect(),
        })
        .collect()
}

fn person_row(names: &AccountNames, view: MemberView) -> PersonRow {
    let (status, status_class) = match view.status {
        AccessStatus::Active => ("Active", "tag--green"),
        AccessStatus::Pending => ("Pending", "tag--yellow"),
        AccessStatus::Expired => ("Expired", "tag--grey"),
    };
    PersonRow {
        id: view.member.id,
        accesses: access_lines(names, &view.grants),
        status,
        status_class,
        delivery: view.delivery.map(|delivery| match delivery {
            Delivery::Queued => messages::DELIVERY_QUEUED,
            Delivery::Sent => messages::DELIVERY_SENT,
            Delivery::Failed => messages::DELIVERY_FAILED,
        }),
        last_sign_in: view.last_sign_in_at.map_or_else(
            || messages::NEVER.to_owned(),
            |at| at.format("%-d %B %Y").to_string(),
        ),
        can_resend: view.status.can_resend(),
        email: view.member.email,
        name: view.name,
    }
}

pub async fn index(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
) -> AppResult<HttpResponse> {
    let overview = sharing::overview(&state, &owner).await?;
    let names = AccountNames::new(&overview.sub_accounts);
    let page = SharePage {
        layout: Layout::new(&session, Some(&owner.name), state.dev_mailbox.is_some())?,
        quota: QuotaView::new(overview.limits, overview.usage),
        people: overview
            .members
            .into_iter()
            .map(|member| person_row(&names, member))
            .collect(),
        owner_email: owner.email,
        owner_name: owner.name,
    };
    Ok(render_page(StatusCode::OK, &page))
}
