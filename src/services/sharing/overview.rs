//! The sharing page and its export (SPEC S6, S13): one page of the people with access, found,
//! filtered and paged in one statement, or everyone for the CSV.

use chrono::{DateTime, Utc};

use crate::{
    db::{
        self,
        members::{AccessRows, Member, PeopleQuery},
    },
    domain::{
        access_draft::OwnerAccounts,
        ids::{AccountRef, MasterAccountId, MemberId, SubAccountId},
        invitation::AccessStatus,
        permission::{AreaSet, RestrictionSet},
        role::{Grant, Role},
    },
    error::{AppError, AppResult},
    services::owner::{Grants, Owner, SharingContext, kept_usage, plan_of},
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
    /// Their login has a second factor turned on.
    pub two_factor: bool,
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
///
/// `read`, when the request's session statement read the page too (`web::read_with_session`),
/// is used when it is this owner's and this filter's: then the page costs no statement of its
/// own.
pub async fn overview(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
    read: Option<PageRead>,
) -> AppResult<OverviewOutcome> {
    let now = state.settings.clock.now();
    if let Some(read) = read
        && read.master == owner.master()
        && read.filter == filter
        // A page past the end is counted by its own statements.
        && !(read.page.members.is_empty() && filter.page > 1)
    {
        return Ok(OverviewOutcome::Shown(shown(
            owner, &filter, read.page, now,
        )));
    }
    let owner = owner.clone();
    let window = page_window(&filter);
    state
        .db
        .read(move |conn| people(conn, &owner, &filter, window, now))
        .await
}

/// A page of the sharing table read with the session, for the filter it was read for.
pub struct PageRead {
    pub filter: PeopleFilter,
    pub master: MasterAccountId,
    pub page: db::members::SharingPage,
}

fn page_window(filter: &PeopleFilter) -> Window {
    Window::Page {
        limit: i64::from(PAGE_SIZE),
        offset: i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE),
    }
}

/// What the sharing page reads for `filter`, for the session's statement to read it too.
pub fn page_query(filter: &PeopleFilter) -> PeopleQuery<'_> {
    people_query(filter, page_window(filter))
}

/// Which people a statement returns.
#[derive(Debug, Clone, Copy)]
enum Window {
    /// The page's: `limit` from `offset`, in the filter's order.
    Page { limit: i64, offset: i64 },
    /// The API's keyset page: `limit` after a member, in the order invited.
    After { after: Option<MemberId>, limit: i64 },
    /// One member.
    Only(MemberId),
}

/// A page of the members API's list: the people, and the last one's id when more follow.
pub struct PeopleAfter {
    pub members: Vec<MemberView>,
    pub next: Option<MemberId>,
}

/// Up to `limit` people after `after`, in the order invited (the members API's cursor paging),
/// in the same one statement as a page of the sharing table.
pub async fn people_after(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
    after: Option<MemberId>,
    limit: u32,
) -> AppResult<PeopleAfter> {
    let owner = owner.clone();
    let filter = PeopleFilter {
        page: 1,
        by_activity: false,
        ..filter
    };
    let now = state.settings.clock.now();
    // One more than asked says whether another page follows.
    let window = Window::After {
        after,
        limit: i64::from(limit) + 1,
    };
    let outcome = state
        .db
        .read(move |conn| people(conn, &owner, &filter, window, now))
        .await?;
    let OverviewOutcome::Shown(overview) = outcome else {
        return Err(AppError::NotFound);
    };
    let mut members = overview.members;
    let next = (members.len() > limit as usize).then(|| {
        members.truncate(limit as usize);
        members.last().map(|view| view.member.member_id())
    });
    Ok(PeopleAfter {
        members,
        next: next.flatten(),
    })
}

/// How the members API names one person: by id, or (after inviting) by address.
#[derive(Debug, Clone)]
pub enum PersonKey {
    Member(MemberId),
    Address(String),
}

/// One person with access to the owner's account, as the sharing table shows them; not found
/// for anyone else's.
pub async fn person(state: &AppState, owner: &Owner, key: PersonKey) -> AppResult<MemberView> {
    let owner = owner.clone();
    let now = state.settings.clock.now();
    state
        .db
        .read(move |conn| {
            let id = match key {
                PersonKey::Member(id) => id,
                PersonKey::Address(address) => {
                    db::members::find_by_email(conn, owner.master(), &address)?
                        .ok_or(AppError::NotFound)?
                        .member_id()
                }
            };
            match people(
                conn,
                &owner,
                &PeopleFilter::default(),
                Window::Only(id),
                now,
            )? {
                OverviewOutcome::Shown(overview) => overview
                    .members
                    .into_iter()
                    .next()
                    .ok_or(AppError::NotFound),
                OverviewOutcome::NoSuchPage { .. } => Err(AppError::NotFound),
            }
        })
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
        // Everyone, in one read: longer than a page's, so it hops (`Db::read`).
        .run(move |conn| {
            let window = Window::Page {
                limit: EXPORT_LIMIT,
                offset: 0,
            };
            people(conn, &owner, &filter, window, now)
        })
        .await?;
    match outcome {
        OverviewOutcome::Shown(overview) => Ok(overview),
        OverviewOutcome::NoSuchPage { .. } => Err(AppError::NotFound),
    }
}

/// The grants of a member's groups of identical grants, one per account, the master account's
/// first and then by sub-account, as the grants table orders them.
fn grants_of_accesses(master: MasterAccountId, accesses: &[AccessRows]) -> Grants {
    let mut grants: Grants = Vec::with_capacity(
        accesses
            .iter()
            .map(|access| access.sub_accounts.len() + usize::from(access.on_master))
            .sum(),
    );
    for access in accesses {
        let Some(role) = Role::from_code(&access.role) else {
            continue;
        };
        let grant = Grant {
            role,
            areas: AreaSet::from_bits(access.areas),
            restrictions: RestrictionSet::from_bits(access.restrictions),
        };
        if access.on_master {
            grants.push((AccountRef::master(master), grant));
        }
        grants.extend(
            (access.sub_accounts.iter())
                .map(|sub| (AccountRef::sub(master, SubAccountId(*sub)), grant)),
        );
    }
    grants.sort_by_key(|(account, _)| account.sub.map_or(i64::MIN, |sub| sub.0));
    grants
}

fn people(
    conn: &mut diesel::PgConnection,
    owner: &Owner,
    filter: &PeopleFilter,
    window: Window,
    now: DateTime<Utc>,
) -> AppResult<OverviewOutcome> {
    let master = owner.master();
    let query = people_query(filter, window);
    let page = db::members::sharing_page(conn, master, &query, now)?;
    if page.members.is_empty() && filter.page > 1 {
        // An empty page counts nobody: the first one says how many match.
        let first = PeopleQuery {
            limit: 1,
            offset: 0,
            ..query
        };
        let matching = db::members::sharing_page(conn, master, &first, now)?.matching;
        let last = (matching.max(1) as u32).div_ceil(PAGE_SIZE);
        return Ok(OverviewOutcome::NoSuchPage { last });
    }
    Ok(OverviewOutcome::Shown(shown(owner, filter, page, now)))
}

fn people_query(filter: &PeopleFilter, window: Window) -> PeopleQuery<'_> {
    let (limit, offset, after, only) = match window {
        Window::Page { limit, offset } => (limit, offset, None, None),
        Window::After { after, limit } => (limit, 0, after.map(|id| id.0), None),
        Window::Only(id) => (1, 0, None, Some(id.0)),
    };
    PeopleQuery {
        search: filter.search.as_deref(),
        status: match filter.status {
            Some(StatusFilter::Member(status)) => Some(status),
            _ => None,
        },
        owner_only: filter.status == Some(StatusFilter::Owner),
        role: filter.role.map(Role::code),
        by_activity: filter.by_activity,
        limit,
        offset,
        after,
        only,
    }
}

/// The page as the owner sees it, from what was read.
fn shown(
    owner: &Owner,
    filter: &PeopleFilter,
    page: db::members::SharingPage,
    now: DateTime<Utc>,
) -> Overview {
    let master = owner.master();
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
        usage: kept_usage(&owner.account),
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
                grants: grants_of_accesses(master, &paged.accesses),
                name: row.name,
                last_sign_in_at: row.last_sign_in_at,
                two_factor: row.two_factor,
                status,
                delivery,
                member: row.member,
            }
        })
        .collect();
    Overview {
        owner_shown: filter.page <= 1 && filter.shows_owner(owner),
        context,
        members,
        matching: page.matching as u32,
    }
}
