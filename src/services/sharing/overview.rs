//! The sharing page and its export (SPEC S6, S13): one page of the people with access, found,
//! filtered and paged in one statement, or everyone for the CSV.

use chrono::{DateTime, Utc};

use crate::{
    db::{
        self,
        members::{Member, PeopleQuery},
    },
    domain::{
        access_draft::OwnerAccounts, ids::SubAccountId, invitation::AccessStatus, quota::Usage,
        role::Role,
    },
    error::{AppError, AppResult},
    services::owner::{Grants, Owner, SharingContext, plan_of, premium_role_codes},
    state::AppState,
};

/// People per page of the sharing table (S13).
pub const PAGE_SIZE: u32 = 50;

/// What happened to the newest invitation mail of a Pending member (R33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    Sent,
    Failed,
}

/// Which status the sharing table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Owner,
    Member(AccessStatus),
}

/// The sharing table's search, filters and page (S13), as its query string says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    pub search: Option<String>,
    pub status: Option<StatusFilter>,
    pub role: Option<Role>,
    /// Most recently active first, instead of in the order invited.
    pub by_activity: bool,
    /// From 1.
    pub page: u32,
}

impl PeopleFilter {
    pub fn is_active(&self) -> bool {
        self.search.is_some() || self.status.is_some() || self.role.is_some()
    }

    /// Whether the owner's own row matches: owners hold no role and have no invitation.
    fn shows_owner(&self, owner: &Owner) -> bool {
        let status_ok = matches!(self.status, None | Some(StatusFilter::Owner));
        let search_ok = self.search.as_deref().is_none_or(|search| {
            let search = search.to_lowercase();
            owner.email.to_lowercase().contains(&search)
                || owner.name.to_lowercase().contains(&search)
        });
        status_ok && search_ok && self.role.is_none()
    }
}

pub struct MemberView {
    pub member: Member,
    pub name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub status: AccessStatus,
    pub grants: Grants,
    pub delivery: Option<Delivery>,
}

pub struct Overview {
    pub context: SharingContext,
    pub owner_shown: bool,
    /// This page of the people matching the filter.
    pub members: Vec<MemberView>,
    /// How many people match the filter, the owner left out.
    pub matching: u32,
}

pub enum OverviewOutcome {
    Shown(Overview),
    /// A page past the last one: this is the last.
    NoSuchPage {
        last: u32,
    },
}

/// One page of the sharing table, in a fixed number of statements whatever the number of
/// people and accounts: the sub-accounts, the usage, the page of people (with the count of all
/// that match), their grants, and their newest invitation mails.
pub async fn overview(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
) -> AppResult<OverviewOutcome> {
    let owner = owner.clone();
    let (limit, offset) = (
        i64::from(PAGE_SIZE),
        i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE),
    );
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| people(conn, &owner, &filter, limit, offset, now))
        .await
}

/// More people than any plan lets an owner share with: an export holds everyone.
const EXPORT_LIMIT: i64 = 100_000;

/// Everyone matching the filter, for the CSV export, in the same one statement as a page.
pub async fn everyone(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
) -> AppResult<Overview> {
    let owner = owner.clone();
    let filter = PeopleFilter { page: 1, ..filter };
    let now = state.settings.clock.now();
    let outcome = state
        .db
        .run(move |conn| people(conn, &owner, &filter, EXPORT_LIMIT, 0, now))
        .await?;
    match outcome {
        OverviewOutcome::Shown(overview) => Ok(overview),
        OverviewOutcome::NoSuchPage { .. } => Err(AppError::NotFound),
    }
}

fn people(
    conn: &mut diesel::PgConnection,
    owner: &Owner,
    filter: &PeopleFilter,
    limit: i64,
    offset: i64,
    now: DateTime<Utc>,
) -> AppResult<OverviewOutcome> {
    let master = owner.master();
    let role_code = filter.role.map(Role::code);
    let query = PeopleQuery {
        search: filter.search.as_deref(),
        status: match filter.status {
            Some(StatusFilter::Member(status)) => Some(status),
            _ => None,
        },
        owner_only: filter.status == Some(StatusFilter::Owner),
        role: role_code,
        by_activity: filter.by_activity,
        limit,
        offset,
    };
    let page = db::members::sharing_page(conn, master, &premium_role_codes(), &query, now)?;
    if page.members.is_empty() && filter.page > 1 {
        // An empty page counts nobody: the first one says how many match.
        let first = PeopleQuery {
            limit: 1,
            offset: 0,
            ..query
        };
        let matching =
            db::members::sharing_page(conn, master, &premium_role_codes(), &first, now)?.matching;
        let last = (matching.max(1) as u32).div_ceil(PAGE_SIZE);
        return Ok(OverviewOutcome::NoSuchPage { last });
    }
    let (plan, limits) = plan_of(&owner.account);
    let context = SharingContext {
        accounts: OwnerAccounts {
            master,
            sub_accounts: page
                .sub_accounts
                .into_iter()
                .map(|(id, name)| (SubAccountId(id), name))
                .collect(),
        },
        plan,
        limits,
        usage: Usage {
            seats: page.seats as u32,
            advanced_accesses: page.advanced as u32,
        },
    };
    let members = page
        .members
        .into_iter()
        .map(|paged| {
            let row = paged.person;
            let status = AccessStatus::at(
                row.member.accepted_at.is_some(),
                row.member.invitation_expires_at,
                now,
            );
            let delivery = match status {
                AccessStatus::Active => None,
                _ => match paged.delivery.as_deref() {
                    Some("sent") => Some(Delivery::Sent),
                    Some("failed") => Some(Delivery::Failed),
                    Some("pending") => Some(Delivery::Queued),
                    // Cancelled: the mail lost its purpose; nothing to report.
                    _ => None,
                },
            };
            MemberView {
                grants: paged
                    .grants
                    .iter()
                    .filter_map(|grant| grant.access(master))
                    .collect(),
                name: row.name,
                last_sign_in_at: row.last_sign_in_at,
                status,
                delivery,
                member: row.member,
            }
        })
        .collect();
    Ok(OverviewOutcome::Shown(Overview {
        owner_shown: filter.page <= 1 && filter.shows_owner(owner),
        context,
        members,
        matching: page.matching as u32,
    }))
}
