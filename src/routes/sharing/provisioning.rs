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
        scim::{self, MAX_LIVE, MintRefusal},
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
        roles: Role::predefined()
            .map(|r| RoleChoice {
                code: r.code(),
                label: messages::role_name(l, r),
                selected: role.as_deref() == Some(r.code()),
            })
            .collect(),
        all_sub_accounts: shown
            .all_sub_accounts
            .unwrap_or(provisioning.settings.is_some_and(|(_, all)| all)),
        users: provisioning.users,
        tokens: provisioning
            .tokens
            .into_iter()
            .map(|t| line(&layout, t))
            .collect(),
        token_name: shown.token_name,
        errors,
        layout,
    };
    Ok(render_page(page.errors.status(), &page))
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
