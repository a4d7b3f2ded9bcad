//! The sharing pages: the overview ("Share your account"), inviting, and managing each person's
//! access. All of them are the owner's alone.

pub mod access_form;
pub mod activity;
pub mod export;
pub mod invite;
pub mod people;
pub mod provisioning;
pub mod security;
pub mod transfer;
pub mod webhooks;

use actix_web::{
    HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, StatusCode},
    middleware::Next,
    web,
};
use askama::Template;
use serde::Deserialize;

use crate::web::filters;
use crate::{
    domain::{invitation::AccessStatus, plan::Limits, quota::Usage, role::Role},
    error::{AppError, AppResult},
    i18n::Locale,
    messages::{self, AccessDescription},
    services::{
        owner::Owner,
        sharing::{
            self, Delivery, MemberView, Overview, OverviewOutcome, PAGE_SIZE, PeopleFilter,
            StatusFilter,
        },
    },
    state::AppState,
    web::{
        current::CurrentOwner,
        layout::Layout,
        read_with_session,
        render::{render_page, see_other},
    },
};

/// "People: 2 of 5 used · Advanced accesses: 1 of 2 used", the quota line of S5. It always
/// counts everyone, whatever the table shows.
/// The quota line: numbers, worded (and their plural chosen) by the page's language.
pub struct QuotaView {
    pub seats_used: u32,
    pub seats: u32,
    pub advanced_used: u32,
    pub advanced: u32,
    /// More advanced accesses held than the plan has: kept after a downgrade (S11).
    pub advanced_kept_over: bool,
    /// On the edit form, the person being edited, whom the counts leave out.
    pub leaves_out: Option<String>,
}

impl QuotaView {
    pub fn new(limits: Limits, usage: Usage) -> QuotaView {
        QuotaView {
            seats_used: usage.seats,
            seats: limits.seats,
            advanced_used: usage.advanced_accesses,
            advanced: limits.advanced_accesses,
            advanced_kept_over: usage.advanced_accesses > limits.advanced_accesses,
            leaves_out: None,
        }
    }
}

/// Whether "Invite user" can lead anywhere: a full plan says so instead of opening a form that
/// can only fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invitable {
    Yes,
    /// The owner's address is not verified yet: nothing goes out in their name until it is.
    Unverified,
    Full,
    NoSharing,
}

impl Invitable {
    pub fn judge(verified: bool, limits: Limits, usage: Usage) -> Invitable {
        if !verified {
            Invitable::Unverified
        } else if limits.seats == 0 {
            Invitable::NoSharing
        } else if usage.seats >= limits.seats {
            Invitable::Full
        } else {
            Invitable::Yes
        }
    }
}

/// One person of the table, borrowing their address and name from what the database returned.
pub struct PersonRow<'a> {
    pub id: i64,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub accesses: Vec<AccessDescription>,
    /// Whether the summary leaves accounts unnamed, so the full list is worth a click.
    pub full_list: bool,
    pub account_count: usize,
    pub status: String,
    pub status_class: &'static str,
    pub delivery: Option<String>,
    pub last_sign_in: String,
    pub last_activity: String,
    pub can_resend: bool,
    /// "until 31 March 2027", for access that ends on a date.
    pub until: Option<String>,
    /// Whether their login has a second factor, once they have accepted.
    pub two_factor: Option<String>,
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// Search and filters: shown once there are more people than one page holds, or while in use.
pub struct FiltersView {
    pub shown: bool,
    pub active: bool,
    pub search: String,
    /// Kept by the filter form, which would otherwise drop the chosen order.
    pub by_activity: bool,
    pub statuses: Vec<Choice>,
    pub roles: Vec<Choice>,
}

pub struct PagingView {
    pub page: u32,
    pub pages: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// "Showing 51 to 100 of 1,000 people".
    pub showing: String,
}

#[derive(Template)]
#[template(path = "sharing/index.html")]
struct SharePage<'a> {
    layout: &'a Layout,
    owner_email: &'a str,
    owner_name: &'a str,
    owner_shown: bool,
    quota: QuotaView,
    invitable: Invitable,
    people: Vec<PersonRow<'a>>,
    filters: FiltersView,
    paging: Option<PagingView>,
    /// Most recently active first.
    by_activity: bool,
    /// The same view in the other order, from its first page.
    other_order: String,
    /// The same view as a spreadsheet: everyone it matches, not one page.
    export: String,
    /// How many sub-accounts the owner has, for the way to them.
    sub_accounts: usize,
}

/// The query string of the sharing page: each view can be bookmarked, and works without JS.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareQuery {
    q: Option<String>,
    status: Option<String>,
    role: Option<String>,
    /// `activity`: most recently active first.
    sort: Option<String>,
    page: Option<String>,
}

/// Longer than any email address or name we store: more can only be a forged request.
const MAX_SEARCH_CHARS: usize = 254;
/// A page number beyond any list we could have.
const MAX_PAGE: u32 = 1_000_000;

const STATUS_CHOICES: [(&str, Option<StatusFilter>); 4] = [
    ("owner", Some(StatusFilter::Owner)),
    ("pending", Some(StatusFilter::Member(AccessStatus::Pending))),
    ("active", Some(StatusFilter::Member(AccessStatus::Active))),
    ("expired", Some(StatusFilter::Member(AccessStatus::Expired))),
];

fn status_code(status: StatusFilter) -> &'static str {
    STATUS_CHOICES
        .iter()
        .find(|(_, filter)| *filter == Some(status))
        .map_or("", |(code, _)| code)
}

pub(super) fn filter_from(query: &ShareQuery) -> AppResult<PeopleFilter> {
    let nonempty = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let search = nonempty(&query.q);
    if search
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(AppError::BadRequest(messages::SEARCH_TOO_LONG));
    }
    let status = match nonempty(&query.status) {
        None => None,
        Some(code) => Some(
            STATUS_CHOICES
                .iter()
                .find(|(choice, _)| *choice == code)
                .and_then(|(_, filter)| *filter)
                .ok_or(AppError::BadRequest(messages::UNKNOWN_FILTER))?,
        ),
    };
    let role = match nonempty(&query.role) {
        None => None,
        Some(code) => {
            Some(Role::from_code(&code).ok_or(AppError::BadRequest(messages::UNKNOWN_FILTER))?)
        }
    };
    let page = match nonempty(&query.page) {
        None => 1,
        Some(page) => page
            .parse::<u32>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or(AppError::BadRequest(messages::NO_SUCH_PAGE))?,
    };
    let by_activity = match nonempty(&query.sort).as_deref() {
        None => false,
        Some("activity") => true,
        Some(_) => return Err(AppError::BadRequest(messages::UNKNOWN_FILTER)),
    };
    Ok(PeopleFilter {
        search,
        status,
        role,
        by_activity,
        page,
    })
}

/// The address of another page of the same view.
fn page_link(filter: &PeopleFilter, page: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(search) = &filter.search {
        query.append_pair("q", search);
    }
    if let Some(status) = filter.status {
        query.append_pair("status", status_code(status));
    }
    if let Some(role) = filter.role {
        query.append_pair("role", role.code());
    }
    if filter.by_activity {
        query.append_pair("sort", "activity");
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/sharing".to_owned()
    } else {
        format!("/sharing?{query}")
    }
}

fn person_row<'a>(
    l: Locale,
    view: &'a MemberView,
    describe: &dyn Fn(&MemberView) -> Vec<AccessDescription>,
) -> PersonRow<'a> {
    let (status, status_class) = match view.status {
        AccessStatus::Active => (l.t("status-active"), "tag--green"),
        AccessStatus::Pending => (l.t("status-pending"), "tag--yellow"),
        AccessStatus::Expired => (l.t("status-expired"), "tag--grey"),
    };
    let accesses = describe(view);
    PersonRow {
        id: view.member.id,
        full_list: accesses.iter().any(|access| !access.scope_names_all),
        account_count: view.grants.len(),
        accesses,
        status,
        status_class,
        delivery: view.delivery.map(|delivery| {
            l.t(match delivery {
                Delivery::Queued => messages::DELIVERY_QUEUED,
                Delivery::Sent => messages::DELIVERY_SENT,
                Delivery::Failed => messages::DELIVERY_FAILED,
            })
        }),
        last_sign_in: view
            .last_sign_in_at
            .map_or_else(|| l.t(messages::NEVER), |at| l.date(at)),
        last_activity: view
            .member
            .last_activity_at
            .map_or_else(|| l.t(messages::NEVER), |at| l.date(at)),
        can_resend: view.status.can_resend(),
        until: view
            .member
            .access_ends_on
            .map(|day| l.tr1("share-until", "date", l.day(day))),
        two_factor: (view.status == AccessStatus::Active).then(|| {
            l.t(if view.two_factor {
                "tfa-has"
            } else {
                "tfa-has-not"
            })
        }),
        email: &view.member.email,
        name: view.name.as_deref(),
    }
}

pub async fn index(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    query: web::Query<ShareQuery>,
) -> AppResult<HttpResponse> {
    let filter = filter_from(&query)?;
    let read = read_with_session::take_sharing_page();
    let overview = match sharing::overview(&state, &owner, filter.clone(), read).await? {
        OverviewOutcome::Shown(overview) => overview,
        // A page past the end (a bookmark from when there were more people): the last one.
        OverviewOutcome::NoSuchPage { last } => return Ok(see_other(&page_link(&filter, last))),
    };
    Ok(render_page(
        StatusCode::OK,
        &share_page(&layout, &owner, &filter, &overview),
    ))
}

/// Asks for the sharing page's people to be read in the statement that reads the session
/// (`web::read_with_session`). Outside the session middleware, which reads the session before
/// it is known which page is asked for.
pub async fn read_with_session(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::GET
        && req.path() == "/sharing"
        && let Ok(query) = web::Query::<ShareQuery>::from_query(req.query_string())
        && let Ok(filter) = filter_from(&query)
    {
        return read_with_session::asking_for_sharing_page(filter, next.call(req)).await;
    }
    next.call(req).await
}

/// The sharing page as `owner` sees `overview`, the people it lists borrowed, not copied.
fn share_page<'a>(
    layout: &'a Layout,
    owner: &'a Owner,
    filter: &PeopleFilter,
    overview: &'a Overview,
) -> SharePage<'a> {
    let context = &overview.context;
    let accounts = &context.accounts;
    let l = layout.locale;
    let describe = |view: &MemberView| {
        messages::describe_accesses(
            l,
            &view.grants,
            |sub| accounts.sub_account_name(sub).unwrap_or_default(),
            accounts.sub_accounts.len(),
        )
    };
    let everyone = context.usage.seats;
    let pages = overview.matching.div_ceil(PAGE_SIZE).max(1);
    let first = (filter.page - 1) * PAGE_SIZE;
    let paging = (pages > 1 || filter.is_active()).then(|| PagingView {
        page: filter.page,
        pages,
        previous: (filter.page > 1).then(|| page_link(filter, filter.page - 1)),
        next: (filter.page < pages).then(|| page_link(filter, filter.page + 1)),
        showing: messages::showing_people(
            l,
            first + 1,
            first + overview.members.len() as u32,
            overview.matching,
            overview.owner_shown,
        ),
    });
    let filters = FiltersView {
        shown: everyone >= PAGE_SIZE || filter.is_active(),
        active: filter.is_active(),
        search: filter.search.clone().unwrap_or_default(),
        by_activity: filter.by_activity,
        statuses: STATUS_CHOICES
            .iter()
            .map(|(code, status)| Choice {
                value: code,
                label: messages::status_filter_name(l, code),
                selected: filter.status == *status,
            })
            .collect(),
        roles: Role::all()
            .map(|role| Choice {
                value: role.code(),
                label: messages::role_name(l, role),
                selected: filter.role == Some(role),
            })
            .collect(),
    };
    SharePage {
        layout,
        sub_accounts: context.accounts.sub_accounts.len(),
        quota: QuotaView::new(context.limits, context.usage),
        invitable: Invitable::judge(owner.verified, context.limits, context.usage),
        people: overview
            .members
            .iter()
            .map(|member| person_row(l, member, &describe))
            .collect(),
        owner_shown: overview.owner_shown,
        filters,
        paging,
        by_activity: filter.by_activity,
        export: format!(
            "/sharing/export.csv{}",
            page_link(filter, 1).trim_start_matches("/sharing")
        ),
        other_order: page_link(
            &PeopleFilter {
                by_activity: !filter.by_activity,
                ..filter.clone()
            },
            1,
        ),
        owner_email: &owner.email,
        owner_name: &owner.name,
    }
}

/// The sharing page rendered in-process from data already read: what a request costs beyond
/// its statements and its HTTP, for the benchmark's floor (`examples/render_floor.rs`).
pub fn render_share_page(
    layout: &Layout,
    owner: &Owner,
    filter: &PeopleFilter,
    overview: &Overview,
) -> askama::Result<String> {
    crate::web::render::render_sized(&share_page(layout, owner, filter, overview))
}
