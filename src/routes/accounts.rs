//! Working inside accounts (SPEC S10): /accounts (the switcher), an account's home, and its area
//! pages. The gate in front of each area is real; the areas themselves stand in for the email
//! platform's pages.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::permission::Area,
    error::{AppError, AppResult},
    messages,
    services::workspace::{self, AccountContext, AccountKey},
    state::AppState,
    web::{
        current::CurrentPerson,
        form::Form,
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

pub struct SwitcherRow {
    value: String,
    name: String,
    owner_name: String,
    own: bool,
    role: Option<&'static str>,
    current: bool,
}

#[derive(Template)]
#[template(path = "accounts/index.html")]
struct SwitcherPage {
    layout: Layout,
    accounts: Vec<SwitcherRow>,
    problem: Option<&'static str>,
}

pub struct NavItem {
    code: &'static str,
    name: &'static str,
    current: bool,
}

/// What every page inside an account shows around its content.
pub struct AccountFrame {
    path: String,
    account_name: String,
    owner_name: String,
    owner_email: String,
    own: bool,
    role: Option<&'static str>,
    nav: Vec<NavItem>,
}

fn frame(context: &AccountContext, current: Option<Area>) -> AccountFrame {
    AccountFrame {
        path: context.key.path(),
        account_name: context.account_name.clone(),
        owner_name: context.owner_name.clone(),
        owner_email: context.owner_email.clone(),
        own: context.role().is_none(),
        role: context.role().map(messages::role_name),
        nav: context
            .standing
            .areas(context.key.kind())
            .map(|area| NavItem {
                code: area.code(),
                name: messages::area_name(area),
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
    areas: Vec<(&'static str, &'static str, &'static str)>,
    manages_sharing: bool,
}

#[derive(Template)]
#[template(path = "accounts/area.html")]
struct AreaPage {
    layout: Layout,
    frame: AccountFrame,
    area_name: &'static str,
    summary: &'static str,
    guidance: Vec<String>,
}

#[derive(Template)]
#[template(path = "accounts/forbidden.html")]
struct AreaForbiddenPage {
    layout: Layout,
    frame: AccountFrame,
    area_name: &'static str,
    missing: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchForm {
    #[serde(default)]
    account: String,
}

async fn switcher(
    state: &AppState,
    session: &TypedSession,
    person: &CurrentPerson,
    problem: Option<&'static str>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let current = session.current_account();
    let accounts = workspace::reachable(state, person.0.id, person.0.display_name.clone())
        .await?
        .into_iter()
        .map(|account| SwitcherRow {
            current: current.as_deref() == Some(account.key.value().as_str()),
            value: account.key.value(),
            name: account.name,
            owner_name: account.owner_name,
            own: account.own,
            role: account.role.map(messages::role_name),
        })
        .collect();
    let page = SwitcherPage {
        layout: Layout::new(
            session,
            Some(&person.0.display_name),
            state.dev_mailbox.is_some(),
        )?,
        accounts,
        problem,
    };
    Ok(render_page(status, &page))
}

pub async fn index(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
) -> AppResult<HttpResponse> {
    switcher(&state, &session, &person, None, StatusCode::OK).await
}

/// Choosing an account: remembered for the session. One no longer reachable answers 403 and is
/// forgotten.
pub async fn switch(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    Form(form): Form<SwitchForm>,
) -> AppResult<HttpResponse> {
    let key = AccountKey::parse(&form.account).ok_or(AppError::BadRequest(messages::BAD_FORM))?;
    match workspace::context(&state, person.0.id, key).await? {
        Some(context) => {
            session.set_current_account(&context.key.value())?;
            Ok(see_other(&context.key.path()))
        }
        None => no_longer_reachable(&state, &session, &person).await,
    }
}

/// 403 on the switcher, and the remembered account forgotten.
async fn no_longer_reachable(
    state: &AppState,
    session: &TypedSession,
    person: &CurrentPerson,
) -> AppResult<HttpResponse> {
    session.forget_current_account();
    switcher(
        state,
        session,
        person,
        Some(messages::NO_LONGER_REACHABLE),
        StatusCode::FORBIDDEN,
    )
    .await
}

/// The account chosen earlier in this session, if it can still be reached.
pub async fn current(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
) -> AppResult<HttpResponse> {
    let Some(key) = session
        .current_account()
        .as_deref()
        .and_then(AccountKey::parse)
    else {
        return Ok(see_other("/accounts"));
    };
    match workspace::context(&state, person.0.id, key).await? {
        Some(context) => Ok(see_other(&context.key.path())),
        None => no_longer_reachable(&state, &session, &person).await,
    }
}

/// The account, if this person can reach it; otherwise it does not exist for them (R12).
async fn reach(
    state: &AppState,
    person: &CurrentPerson,
    key: AccountKey,
) -> AppResult<AccountContext> {
    workspace::context(state, person.0.id, key)
        .await?
        .ok_or(AppError::NotFound)
}

async fn home(
    state: &AppState,
    session: &TypedSession,
    person: &CurrentPerson,
    key: AccountKey,
) -> AppResult<HttpResponse> {
    let context = reach(state, person, key).await?;
    let areas = context
        .standing
        .areas(key.kind())
        .map(|area| {
            (
                area.code(),
                messages::area_name(area),
                messages::area_summary(area),
            )
        })
        .collect();
    let page = AccountHomePage {
        layout: Layout::new(
            session,
            Some(&person.0.display_name),
            state.dev_mailbox.is_some(),
        )?,
        frame: frame(&context, None),
        areas,
        manages_sharing: context.standing.manages_sharing() && key.sub.is_none(),
    };
    Ok(render_page(StatusCode::OK, &page))
}

async fn area(
    state: &AppState,
    session: &TypedSession,
    person: &CurrentPerson,
    key: AccountKey,
    code: &str,
) -> AppResult<HttpResponse> {
    let context = reach(state, person, key).await?;
    let area = Area::from_code(code)
        .filter(|area| area.exists_on(key.kind()))
        .ok_or(AppError::NotFound)?;
    let layout = Layout::new(
        session,
        Some(&person.0.display_name),
        state.dev_mailbox.is_some(),
    )?;
    if !context.standing.may_use(area, key.kind()) {
        let page = AreaForbiddenPage {
            layout,
            area_name: messages::area_name(area),
            missing: messages::missing_access(area, &context.account_name),
            frame: frame(&context, None),
        };
        return Ok(render_page(StatusCode::FORBIDDEN, &page));
    }
    let restrictions = match context.standing {
        crate::domain::access::Standing::Member(grant) => grant.restrictions,
        crate::domain::access::Standing::Owner => Default::default(),
    };
    let page = AreaPage {
        layout,
        area_name: messages::area_name(area),
        summary: messages::area_summary(area),
        guidance: messages::area_guidance(context.role(), area, restrictions),
        frame: frame(&context, Some(area)),
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn master_home(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    home(
        &state,
        &session,
        &person,
        AccountKey {
            master: *path,
            sub: None,
        },
    )
    .await
}

pub async fn sub_home(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (master, sub) = *path;
    home(
        &state,
        &session,
        &person,
        AccountKey {
            master,
            sub: Some(sub),
        },
    )
    .await
}

pub async fn master_area(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    let (master, code) = path.into_inner();
    area(
        &state,
        &session,
        &person,
        AccountKey { master, sub: None },
        &code,
    )
    .await
}

pub async fn sub_area(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    path: web::Path<(i64, i64, String)>,
) -> AppResult<HttpResponse> {
    let (master, sub, code) = path.into_inner();
    area(
        &state,
        &session,
        &person,
        AccountKey {
            master,
            sub: Some(sub),
        },
        &code,
    )
    .await
}
