//! /sharing/provisioning — SCIM 2.0 provisioning (issue 22): the access people provisioned by
//! the owner's identity provider get, the endpoint to give the provider, and its tokens (made,
//! shown once, revoked after a confirmation).

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::super::sessions::EmptyForm;
use crate::{
    db::scim::Token,
    domain::{name::TokenName, role::Role},
    error::{AppError, AppResult},
    messages,
    routes::other_account,
    services::{
        owner::Owner,
        scim::{self, MAX_LIVE, MintRefusal, Refused},
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

const BACK: &str = "/sharing/provisioning";

/// The default access, as the form sends it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DefaultAccessForm {
    #[serde(default)]
    role: String,
    /// A box left unticked is not sent at all.
    #[serde(default)]
    all_sub_accounts: Option<String>,
    #[serde(default)]
    for_account: Option<String>,
}

/// A Group's access, as its row's form sends it: an empty role for the default access.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct GroupAccessForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    all_sub_accounts: Option<String>,
    #[serde(default)]
    for_account: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    for_account: Option<String>,
}

/// A role the select offers.
pub struct RoleChoice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

/// A Group as the list shows it, with its access form's choices.
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub members: i64,
    pub roles: Vec<RoleChoice>,
    pub all_sub_accounts: bool,
}

/// A token as the list shows it.
pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub created: String,
    pub last_used: String,
}

#[derive(Template)]
#[template(path = "sharing/provisioning.html")]
struct ProvisioningPage {
    layout: Layout,
    for_account: i64,
    endpoint: String,
    /// Whether a default access has been saved: tokens can be made only then.
    chosen: bool,
    roles: Vec<RoleChoice>,
    all_sub_accounts: bool,
    users: i64,
    tokens: Vec<TokenLine>,
    token_name: String,
    groups: Vec<GroupRow>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "sharing/scim_token.html")]
struct TokenPage {
    layout: Layout,
    name: String,
    token: String,
    endpoint: String,
}

#[derive(Template)]
#[template(path = "sharing/scim_revoke.html")]
struct RevokePage {
    layout: Layout,
    id: i64,
    name: String,
    hint: String,
}

fn endpoint(state: &AppState) -> String {
    format!("{}/scim/v2", state.settings.base_url.trim_end_matches('/'))
}

/// What the page shows besides the saved state: the forms as sent when one was refused.
#[derive(Default)]
struct Shown {
    role: Option<String>,
    all_sub_accounts: Option<bool>,
    token_name: String,
}

async fn page(
    state: &AppState,
    owner: &Owner,
    layout: Layout,
    shown: Shown,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let provisioning = scim::provisioning(state, owner).await?;
    let saved_role = provisioning
        .settings
        .map(|(role, _)| role.code().to_owned());
    let role = shown.role.or(saved_role);
    let page = ProvisioningPage {
        for_account: owner.master().0,
        endpoint: endpoint(state),
        chosen: provisioning.settings.is_some(),
        roles: role_choices(l, role.as_deref()),
        all_sub_accounts: shown
            .all_sub_accounts
            .unwrap_or(provisioning.settings.is_some_and(|(_, all)| all)),
        users: provisioning.users,
        tokens: provisioning
            .tokens
            .into_iter()
            .map(|t| line(&layout, t))
            .collect(),
        groups: provisioning
            .groups
            .into_iter()
            .map(|group| GroupRow {
                roles: role_choices(l, group.role.as_deref()),
                id: group.id,
                name: group.display_name,
                members: group.members,
                all_sub_accounts: group.all_sub_accounts,
            })
            .collect(),
        token_name: shown.token_name,
        errors,
        layout,
    };
    Ok(render_page(page.errors.status(), &page))
}

fn role_choices(l: crate::i18n::Locale, selected: Option<&str>) -> Vec<RoleChoice> {
    Role::predefined()
        .map(|r| RoleChoice {
            code: r.code(),
            label: messages::role_name(l, r),
            selected: selected == Some(r.code()),
        })
        .collect()
}

fn line(layout: &Layout, token: Token) -> TokenLine {
    let l = layout.locale;
    TokenLine {
        id: token.id,
        created: l.date(token.created_at),
        last_used: token
            .last_used_at
            .map_or_else(|| l.t("scim-never-used"), |at| l.date_time(at)),
        name: token.name,
        hint: token.hint,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(
        &state,
        &owner,
        layout,
        Shown::default(),
        FormErrors::default(),
    )
    .await
}

/// Saves the default access.
pub async fn save(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<DefaultAccessForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let all_sub_accounts = form.all_sub_accounts.is_some();
    let Some(role) = Role::from_code(&form.role).filter(|role| *role != Role::Custom) else {
        let mut errors = FormErrors::default();
        errors.add("role", layout.t("scim-choose-role"));
        let shown = Shown {
            all_sub_accounts: Some(all_sub_accounts),
            ..Shown::default()
        };
        return page(&state, &owner, layout, shown, errors).await;
    };
    scim::save_settings(&state, &owner, role, all_sub_accounts).await?;
    session.set_flash(&layout.t("scim-flash-saved"))?;
    Ok(see_other(BACK))
}

/// Makes a token and shows it, once.
pub async fn create_token(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<TokenForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let l = layout.locale;
    let mut errors = FormErrors::default();
    let name = errors.check("name", TokenName::parse(&form.name), |e| {
        messages::token_name_error(l, e)
    });
    let shown = || Shown {
        token_name: form.name.clone(),
        ..Shown::default()
    };
    let Some(name) = name else {
        return page(&state, &owner, layout, shown(), errors).await;
    };
    match scim::create_token(&state, &owner, name.as_str().to_owned()).await? {
        Ok(token) => {
            let page = TokenPage {
                endpoint: endpoint(&state),
                name: name.as_str().to_owned(),
                token,
                layout,
            };
            Ok(render_page(StatusCode::CREATED, &page))
        }
        Err(refusal) => {
            errors.add(
                "name",
                match refusal {
                    MintRefusal::NoDefaultAccess => l.t("scim-choose-access-first"),
                    MintRefusal::TooMany => l.tr1("scim-too-many", "limit", MAX_LIVE),
                },
            );
            page(&state, &owner, layout, shown(), errors).await
        }
    }
}

/// Maps a Group to an access; its members' accesses follow at once.
pub async fn map_group(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<String>,
    Form(form): Form<GroupAccessForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let id = path.into_inner();
    let name = scim::provisioning(&state, &owner)
        .await?
        .groups
        .into_iter()
        .find(|group| group.id == id)
        .ok_or(AppError::NotFound)?
        .display_name;
    let access = match form.role.as_str() {
        "" => None,
        code => Some((
            Role::from_code(code)
                .filter(|role| *role != Role::Custom)
                .ok_or(AppError::BadRequest(messages::BAD_FORM))?,
            form.all_sub_accounts.is_some(),
        )),
    };
    match scim::map_group(&state, &owner, id, access).await? {
        Ok(()) => {
            session.set_flash(&layout.tr1("scim-flash-group-mapped", "name", name.as_str()))?;
            Ok(see_other(BACK))
        }
        Err(refused) => {
            let mut errors = FormErrors::default();
            let words = match refused {
                Refused::NotAllowed(words) | Refused::Taken(words) => words,
                Refused::Invalid(invalid) => invalid.detail,
                Refused::NotFound | Refused::Stale => return Err(AppError::NotFound),
            };
            errors.add("groups", words);
            page(&state, &owner, layout, Shown::default(), errors).await
        }
    }
}

async fn live_token(state: &AppState, owner: &Owner, id: i64) -> AppResult<Token> {
    scim::provisioning(state, owner)
        .await?
        .tokens
        .into_iter()
        .find(|token| token.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn confirm_revoke(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let token = live_token(&state, &owner, path.into_inner()).await?;
    let page = RevokePage {
        layout,
        id: token.id,
        name: token.name,
        hint: token.hint,
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn revoke(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let token = live_token(&state, &owner, path.into_inner()).await?;
    scim::revoke_token(&state, &owner, token.id).await?;
    session.set_flash(&layout.tr1("scim-flash-revoked", "name", token.name.as_str()))?;
    Ok(see_other(BACK))
}
