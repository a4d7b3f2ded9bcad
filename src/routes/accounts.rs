//! Working inside accounts (SPEC S10): /accounts (the switcher), an account's home, and its area
//! pages. The gate in front of each area is real; the areas themselves stand in for the email
//! platform's pages.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::web::filters;
use crate::{
    domain::{
        access::Standing,
        ids::{AccountRef, MasterAccountId, SubAccountId},
        permission::Area,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    services::workspace::{self, AccountContext, ReachableAccount},
    state::AppState,
    web::locale::locale_of,
    web::{
        current::CurrentPerson,
        form::Form,
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

/// The address of an account's home; its areas are below it.
pub fn account_path(account: AccountRef) -> String {
    match account.sub {
        None => format!("/accounts/{}", account.master),
        Some(sub) => format!("/accounts/{}/sub-accounts/{sub}", account.master),
    }
}

/// Accounts per page of the switcher; past one page it can be searched, as the sharing table.
const PAGE_SIZE: usize = 50;

pub struct SwitcherRow {
    value: String,
    name: String,
    owner_name: String,
    own: bool,
    role: Option<String>,
    current: bool,
}

#[derive(Template)]
#[template(path = "accounts/index.html")]
struct SwitcherPage {
    layout: Layout,
    accounts: Vec<SwitcherRow>,
    problem: Option<&'static str>,
    search_shown: bool,
    search: String,
    /// "Showing 1 to 50 of 120 accounts", when there is more than one page or a search.
    showing: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

pub struct NavItem {
    code: &'static str,
    name: String,
    current: bool,
}

/// What every page inside an account shows around its content.
pub struct AccountFrame {
    path: String,
    account_name: String,
    owner_name: String,
    owner_email: String,
    own: bool,
    role: Option<String>,
    nav: Vec<NavItem>,
}

fn frame(l: Locale, context: &AccountContext, current: Option<Area>) -> AccountFrame {
    AccountFrame {
        path: account_path(context.account),
        account_name: context.account_name.clone(),
        owner_name: context.owner_name.clone(),
        owner_email: context.owner_email.clone(),
        own: context.role().is_none(),
        role: context.role().map(|role| messages::role_name(l, role)),
        nav: context
            .standing
            .areas(context.account.kind())
            .map(|area| NavItem {
                code: area.code(),
                name: messages::area_name(l, area),
                current: Some(area) == current,
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "accounts/home.html")]
struct AccountHomePage {
    layout: Layout,
    frame: AccountFrame,
    areas: Vec<(&'static str, String, String)>,
    manages_sharing: bool,
}

#[derive(Template)]
#[template(path = "accounts/area.html")]
struct AreaPage {
    layout: Layout,
    frame: AccountFrame,
    area_name: String,
    summary: String,
    guidance: Vec<String>,
    /// The owner's Account Management leads to their sub-accounts, which it promises.
    sub_accounts_link: bool,
}

#[derive(Template)]
#[template(path = "accounts/forbidden.html")]
struct AreaForbiddenPage {
    layout: Layout,
    frame: AccountFrame,
    area_name: String,
    missing: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchForm {
    #[serde(default)]
    account: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitcherQuery {
    q: Option<String>,
    page: Option<String>,
}

/// The switcher: its search and page from the query string (as the sharing table's), every
/// reachable account when nothing is asked.
async fn switcher(
    state: &AppState,
    req: &HttpRequest,
    person: &CurrentPerson,
    query: &SwitcherQuery,
    problem: Option<&'static str>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let search = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    if search.as_ref().is_some_and(|q| q.chars().count() > 254) {
        return Err(AppError::BadRequest(messages::SEARCH_TOO_LONG));
    }
    let page = match query.page.as_deref().filter(|p| !p.is_empty()) {
        None => 1,
        Some(page) => page
            .parse::<usize>()
            .ok()
            .filter(|page| (1..=1_000_000).contains(page))
            .ok_or(AppError::BadRequest(messages::NO_SUCH_PAGE))?,
    };
    let reachable = workspace::reachable(
        state,
        locale_of(req),
        &person.person,
        person.account.as_ref(),
    )
    .await?;
    // Exactly one account to work in: straight into it, no detour through a list of one (S13).
    if reachable.len() == 1 && search.is_none() && page == 1 && problem.is_none() {
        return Ok(see_other(&account_path(reachable[0].account)));
    }
    let total = reachable.len();
    let matching: Vec<ReachableAccount> = reachable
        .into_iter()
        .filter(|account| {
            search.as_ref().is_none_or(|q| {
                account.name.to_lowercase().contains(q)
                    || account.owner_name.to_lowercase().contains(q)
            })
        })
        .collect();
    let matching_count = matching.len();
    let pages = matching_count.div_ceil(PAGE_SIZE).max(1);
    if page > pages {
        return Err(AppError::BadRequest(messages::NO_SUCH_PAGE));
    }
    let link = |page: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &search {
            query.append_pair("q", q);
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        format!("/accounts?{}", query.finish())
    };
    let first = (page - 1) * PAGE_SIZE;
    let shown: Vec<ReachableAccount> = matching.into_iter().skip(first).take(PAGE_SIZE).collect();
    let showing = (pages > 1 || search.is_some()).then(|| {
        messages::showing_accounts(
            locale_of(req),
            first + 1,
            first + shown.len(),
            matching_count,
        )
    });
    let current = TypedSession::of(req).current_account();
    let accounts = shown
        .into_iter()
        .map(|account| SwitcherRow {
            current: current == Some(account.account),
            value: account.account.value(),
            name: account.name,
            owner_name: account.owner_name,
            own: account.own,
            role: account
                .role
                .map(|role| messages::role_name(locale_of(req), role)),
        })
        .collect();
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    let page_view = SwitcherPage {
        layout: Layout::of(req)?,
        accounts,
        problem,
        search_shown: total > PAGE_SIZE || search.is_some(),
        search: search.unwrap_or_default(),
        showing,
        previous,
        next,
    };
    Ok(render_page(status, &page_view))
}

pub async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    person: CurrentPerson,
    query: web::Query<SwitcherQuery>,
) -> AppResult<HttpResponse> {
    switcher(&state, &req, &person, &query, None, StatusCode::OK).await
}

/// Choosing an account: remembered for the session. One no longer reachable answers 403 and is
/// forgotten.
pub async fn switch(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    person: CurrentPerson,
    Form(form): Form<SwitchForm>,
) -> AppResult<HttpResponse> {
    let account =
        AccountRef::parse(&form.account).ok_or(AppError::BadRequest(messages::BAD_FORM))?;
    match workspace::context(&state, locale_of(&req), person.person.person_id(), account).await? {
        Some(context) => {
            session.set_current_account(context.account)?;
            Ok(see_other(&account_path(context.account)))
        }
        None => no_longer_reachable(&state, &req, &session, &person).await,
    }
}

/// 403 on the switcher, and the remembered account forgotten.
async fn no_longer_reachable(
    state: &AppState,
    req: &HttpRequest,
    session: &TypedSession,
    person: &CurrentPerson,
) -> AppResult<HttpResponse> {
    session.forget_current_account();
    switcher(
        state,
        req,
        person,
        &SwitcherQuery::default(),
        Some(messages::NO_LONGER_REACHABLE),
        StatusCode::FORBIDDEN,
    )
    .await
}

/// The account chosen earlier in this session, if it can still be reached.
pub async fn current(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    person: CurrentPerson,
) -> AppResult<HttpResponse> {
    let Some(account) = session.current_account() else {
        return Ok(see_other("/accounts"));
    };
    match workspace::context(&state, locale_of(&req), person.person.person_id(), account).await? {
        Some(context) => Ok(see_other(&account_path(context.account))),
        None => no_longer_reachable(&state, &req, &session, &person).await,
    }
}

/// The account, if this person can reach it; otherwise it does not exist for them (R12).
async fn reach(
    state: &AppState,
    l: Locale,
    person: &CurrentPerson,
    account: AccountRef,
) -> AppResult<AccountContext> {
    workspace::context(state, l, person.person.person_id(), account)
        .await?
        .ok_or(AppError::NotFound)
}

async fn home(
    state: &AppState,
    layout: Layout,
    person: &CurrentPerson,
    account: AccountRef,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let context = reach(state, l, person, account).await?;
    let areas = context
        .standing
        .areas(account.kind())
        .map(|area| {
            (
                area.code(),
                messages::area_name(l, area),
                messages::area_summary(l, area),
            )
        })
        .collect();
    let page = AccountHomePage {
        layout,
        frame: frame(l, &context, None),
        areas,
        manages_sharing: context.standing.manages_sharing() && account.is_master(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

async fn area(
    state: &AppState,
    layout: Layout,
    person: &CurrentPerson,
    account: AccountRef,
    code: &str,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let context = reach(state, l, person, account).await?;
    let area = Area::from_code(code)
        .filter(|area| area.exists_on(account.kind()))
        .ok_or(AppError::NotFound)?;
    if !context.standing.may_use(area, account.kind()) {
        let page = AreaForbiddenPage {
            layout,
            area_name: messages::area_name(l, area),
            missing: messages::missing_access(l, area, &context.account_name),
            frame: frame(l, &context, None),
        };
        return Ok(render_page(StatusCode::FORBIDDEN, &page));
    }
    let restrictions = match context.standing {
        Standing::Member(grant) => grant.restrictions,
        Standing::Owner => Default::default(),
    };
    let page = AreaPage {
        layout,
        area_name: messages::area_name(l, area),
        summary: messages::area_summary(l, area),
        guidance: messages::area_guidance(l, context.role(), area, restrictions),
        sub_accounts_link: area == Area::AccountManagement
            && context.standing == Standing::Owner
            && account.sub.is_none(),
        frame: frame(l, &context, Some(area)),
    };
    Ok(render_page(StatusCode::OK, &page))
}

fn master(id: i64) -> AccountRef {
    AccountRef::master(MasterAccountId(id))
}

fn sub(master: i64, sub: i64) -> AccountRef {
    AccountRef::sub(MasterAccountId(master), SubAccountId(sub))
}

pub async fn master_home(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    home(&state, layout, &person, master(*path)).await
}

pub async fn sub_home(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (master_id, sub_id) = *path;
    home(&state, layout, &person, sub(master_id, sub_id)).await
}

pub async fn master_area(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    let (master_id, code) = path.into_inner();
    area(&state, layout, &person, master(master_id), &code).await
}

pub async fn sub_area(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<(i64, i64, String)>,
) -> AppResult<HttpResponse> {
    let (master_id, sub_id, code) = path.into_inner();
    area(&state, layout, &person, sub(master_id, sub_id), &code).await
}
