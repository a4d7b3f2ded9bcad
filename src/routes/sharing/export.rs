//! GET /sharing/export.csv — the sharing table as a spreadsheet, with the page's search and
//! filters: one row per person and account, in the owner's language, UTF-8 with a BOM.

use actix_web::{HttpResponse, http::header, web};

use super::{ShareQuery, filter_from};
use crate::{
    domain::{csv, invitation::AccessStatus},
    error::AppResult,
    i18n::Locale,
    messages,
    services::sharing::{self, MemberView},
    state::AppState,
    web::{current::CurrentOwner, locale::RequestLocale},
};

const COLUMNS: [&str; 13] = [
    "csv-email",
    "csv-name",
    "csv-status",
    "csv-account",
    "csv-role",
    "csv-areas",
    "csv-restrictions",
    "csv-invited-at",
    "csv-accepted-at",
    "csv-last-sign-in",
    "csv-last-activity",
    "csv-access-ends",
    "csv-two-factor",
];

pub async fn csv(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    RequestLocale(l): RequestLocale,
    query: web::Query<ShareQuery>,
) -> AppResult<HttpResponse> {
    let filter = filter_from(&query)?;
    let everyone = sharing::everyone(&state, &owner, filter).await?;
    let accounts = &everyone.context.accounts;
    let mut body = String::from(csv::BOM);
    let header: Vec<String> = COLUMNS.iter().map(|id| l.t(id)).collect();
    body.push_str(&csv::line(&header));
    for person in &everyone.members {
        for (account, grant) in &person.grants {
            let account_name = match account.sub {
                None => messages::master_account(l),
                Some(sub) => accounts
                    .sub_account_name(sub)
                    .unwrap_or_default()
                    .to_owned(),
            };
            let areas: Vec<String> = grant
                .areas
                .iter()
                .map(|a| messages::area_name(l, a))
                .collect();
            let restrictions: Vec<String> = grant
                .restrictions
                .iter()
                .map(|r| messages::restriction_short(l, r))
                .collect();
            body.push_str(&csv::line(&[
                person.member.email.clone(),
                person.name.clone().unwrap_or_default(),
                status(l, person),
                account_name,
                messages::role_name(l, grant.role),
                areas.join("; "),
                restrictions.join("; "),
                moment(Some(person.member.created_at)),
                moment(person.member.accepted_at),
                moment(person.last_sign_in_at),
                moment(person.member.last_activity_at),
                person
                    .member
                    .access_ends_on
                    .map(|day| day.to_string())
                    .unwrap_or_default(),
                two_factor(l, person),
            ]));
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"sharing.csv\"",
        ))
        .body(body))
}

/// Whether the person's login has a second factor; empty before they have a login.
fn two_factor(l: Locale, person: &MemberView) -> String {
    match (person.status, person.two_factor) {
        (AccessStatus::Active, true) => l.t("csv-yes"),
        (AccessStatus::Active, false) => l.t("csv-no"),
        _ => String::new(),
    }
}

fn status(l: Locale, person: &MemberView) -> String {
    l.t(match person.status {
        AccessStatus::Active => "status-active",
        AccessStatus::Pending => "status-pending",
        AccessStatus::Expired => "status-expired",
    })
}

/// ISO 8601 in UTC, which every spreadsheet sorts and reads, whatever its language.
fn moment(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| at.format("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_default()
}
