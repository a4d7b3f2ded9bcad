//! My account → API tokens (INTEGRATION.md S16): GET and POST /account/tokens lists the
//! person's personal access tokens and makes one (shown once), GET and POST
//! /account/tokens/{id}/revoke asks first, then revokes.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::sessions::EmptyForm;
use crate::web::filters;
use crate::{
    domain::{
        api_scope::{Lifetime, Scope, TokenRequestError, parse_scopes},
        ids::MasterAccountId,
        name::TokenName,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    services::personal_tokens::{self, MAX_LIVE, MintRefusal, TokenAccount, TokenRow},
    state::AppState,
    web::{
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    scope_people_read: Option<String>,
    #[serde(default)]
    scope_people_write: Option<String>,
    #[serde(default)]
    scope_activity_read: Option<String>,
    #[serde(default)]
    lifetime: String,
}

impl TokenForm {
    fn ticked(&self, scope: Scope) -> bool {
        match scope {
            Scope::PeopleRead => self.scope_people_read.is_some(),
            Scope::PeopleWrite => self.scope_people_write.is_some(),
            Scope::ActivityRead => self.scope_activity_read.is_some(),
        }
    }
}

/// A choice of a select or a checkbox, as the template shows it.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A token as the list shows it.
pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub account: String,
    pub scopes: String,
    pub expires: String,
    pub last_used: String,
    pub live: bool,
    pub state: String,
}

#[derive(Template)]
#[template(path = "api_tokens/index.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenLine>,
    name: String,
    accounts: Vec<Choice>,
    scopes: Vec<(String, Choice)>,
    lifetimes: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "api_tokens/created.html")]
struct CreatedPage {
    layout: Layout,
    name: String,
    token: String,
    scopes: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "api_tokens/revoke.html")]
struct RevokePage {
    layout: Layout,
    id: i64,
    name: String,
}

/// How the form and the list name an account.
fn account_label(l: Locale, account: &TokenAccount) -> String {
    match &account.owner {
        None => l.tr1("tokens-own-account", "id", account.master.0.to_string()),
        Some((name, email)) => l.tr2(
            "tokens-shared-account",
            "name",
            name.as_str(),
            "email",
            email.as_str(),
        ),
    }
}

fn line(l: Locale, row: TokenRow, now: chrono::DateTime<chrono::Utc>) -> TokenLine {
    let token = row.token;
    let state = if token.revoked_at.is_some() {
        l.t("tokens-revoked")
    } else if !row.live {
        l.t("tokens-expired")
    } else {
        l.t("tokens-live")
    };
    TokenLine {
        id: token.id,
        account: l.tr2(
            "tokens-account-of",
            "id",
            token.master_account_id.to_string(),
            "email",
            row.owner_email.as_str(),
        ),
        scopes: token.scopes.join(", "),
        expires: match token.expires_at {
            Some(at) if at > now => l.date(at),
            Some(at) => l.tr1("tokens-expired-on", "date", l.date(at)),
            None => l.t("tokens-no-expiry"),
        },
        last_used: match (token.last_used_at, token.last_used_ip) {
            (Some(at), Some(ip)) => l.tr2(
                "tokens-last-used",
                "when",
                l.date_time(at),
                "ip",
                ip.addr().to_string(),
            ),
            (Some(at), None) => l.date_time(at),
            (None, _) => l.t("tokens-never-used"),
        },
        name: token.name,
        hint: token.hint,
        live: row.live,
        state,
    }
}

async fn page(
    state: &AppState,
    layout: Layout,
    person: &CurrentPerson,
    form: TokenForm,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let person_id = person.person.person_id();
    let (accounts, rows) = personal_tokens::tokens_page(state, person_id).await?;
    let now = state.settings.clock.now();
    let first = form.name.is_empty() && errors.is_empty();
    let lifetime = Lifetime::parse(&form.lifetime).unwrap_or(Lifetime::DEFAULT);
    let page = TokensPage {
        tokens: rows.into_iter().map(|row| line(l, row, now)).collect(),
        accounts: accounts
            .iter()
            .map(|account| Choice {
                value: account.master.0.to_string(),
                label: account_label(l, account),
                selected: form.account == account.master.0.to_string(),
            })
            .collect(),
        scopes: Scope::ALL
            .into_iter()
            .map(|scope| {
                (
                    format!("scope_{}", scope.code().replace(':', "_")),
                    Choice {
                        value: scope.code().to_owned(),
                        label: messages::scope_description(l, scope),
                        // A new form offers reading people, the least a script needs.
                        selected: form.ticked(scope) || (first && scope == Scope::PeopleRead),
                    },
                )
            })
            .collect(),
        lifetimes: Lifetime::OFFERED
            .into_iter()
            .map(|offered| Choice {
                value: offered.code(),
                label: messages::lifetime_name(l, offered),
                selected: offered == lifetime,
            })
            .collect(),
        name: form.name,
        errors,
        layout,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn index(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(
        &state,
        layout,
        &person,
        TokenForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    Form(form): Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let person_id = person.person.person_id();
    let mut errors = FormErrors::default();
    let name = errors.check("name", TokenName::parse(&form.name), |e| {
        messages::token_name_error(l, e)
    });
    let accounts = personal_tokens::accounts_for_tokens(&state, person_id).await?;
    let account = form
        .account
        .parse::<i64>()
        .ok()
        .and_then(|id| {
            accounts
                .iter()
                .find(|account| account.master == MasterAccountId(id))
        })
        .cloned();
    if account.is_none() {
        errors.add("account", l.t("tokens-choose-account"));
    }
    let codes: Vec<String> = Scope::ALL
        .into_iter()
        .filter(|scope| form.ticked(*scope))
        .map(|scope| scope.code().to_owned())
        .collect();
    let scopes = errors.check("scope_people_read", parse_scopes(&codes), |e| match e {
        TokenRequestError::NoScope | TokenRequestError::UnknownScope => l.t("tokens-choose-scope"),
        TokenRequestError::UnknownLifetime => l.t("tokens-choose-lifetime"),
    });
    let lifetime = Lifetime::parse(&form.lifetime);
    if lifetime.is_none() {
        errors.add("lifetime", l.t("tokens-choose-lifetime"));
    }
    let (Some(name), Some(account), Some(scopes), Some(lifetime), true) =
        (name, account, scopes, lifetime, errors.is_empty())
    else {
        return page(&state, layout, &person, form, errors).await;
    };
    match personal_tokens::create(&state, person_id, account, name, scopes, lifetime).await? {
        Ok(minted) => {
            let page = CreatedPage {
                name: minted.row.name,
                token: minted.token,
                scopes: minted.row.scopes.join(", "),
                expires: minted
                    .row
                    .expires_at
                    .map_or_else(|| l.t("tokens-no-expiry"), |at| l.date(at)),
                layout,
            };
            Ok(render_page(StatusCode::CREATED, &page))
        }
        Err(MintRefusal::TooMany) => {
            errors.add("name", l.tr1("tokens-too-many", "limit", MAX_LIVE));
            page(&state, layout, &person, form, errors).await
        }
    }
}

/// The person's live token `id`, or 404.
async fn live_token(state: &AppState, person: &CurrentPerson, id: i64) -> AppResult<TokenRow> {
    personal_tokens::list(state, person.person.person_id())
        .await?
        .into_iter()
        .find(|row| row.token.id == id && row.token.revoked_at.is_none())
        .ok_or(AppError::NotFound)
}

pub async fn confirm_revoke(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let row = live_token(&state, &person, path.into_inner()).await?;
    let page = RevokePage {
        layout,
        id: row.token.id,
        name: row.token.name,
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn revoke(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    layout: Layout,
    path: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let row = live_token(&state, &person, id).await?;
    personal_tokens::revoke(&state, person.person.person_id(), id).await?;
    session.set_flash(&layout.tr1("tokens-flash-revoked", "name", row.token.name.as_str()))?;
    Ok(see_other("/account/tokens"))
}
