//! POST /account/sub-accounts (create), GET and POST /account/sub-accounts/{id}/rename.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::account::account_page;
use crate::{
    domain::{
        ids::{AccountRef, SubAccountId},
        name::SubAccountName,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    services::sub_accounts::{self, CreateRefusal, NameTaken},
    state::AppState,
    web::{
        current::{CurrentOwner, CurrentPerson},
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

#[derive(Template)]
#[template(path = "sub_accounts/created.html")]
struct CreatedPage {
    layout: Layout,
    name: String,
    /// How the invite form names the new sub-account, to start sharing it.
    account_value: String,
    api_key: String,
}

#[derive(Template)]
#[template(path = "sub_accounts/rename.html")]
struct RenamePage {
    layout: Layout,
    id: i64,
    current_name: String,
    name: String,
    errors: FormErrors,
}

fn parse_name(l: Locale, input: &str) -> Result<SubAccountName, FormErrors> {
    let mut errors = FormErrors::default();
    errors
        .check("name", SubAccountName::parse(input), |e| {
            messages::sub_account_name_error(l, e)
        })
        .ok_or(errors)
}

fn name_taken(l: Locale) -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add("name", l.t(messages::SUB_ACCOUNT_NAME_TAKEN));
    errors
}

pub async fn create(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
    Form(form): Form<NameForm>,
) -> AppResult<HttpResponse> {
    let account = person.account.as_ref().ok_or(AppError::Forbidden)?;
    let l = layout.locale;
    let name = match parse_name(l, &form.name) {
        Ok(name) => name,
        Err(errors) => return account_page(&state, layout, &person, form.name, errors).await,
    };
    let verified = person.person.email_verified_at.is_some();
    match sub_accounts::create(&state, person.person.person_id(), verified, account, name).await? {
        Ok(created) => {
            let page = CreatedPage {
                layout,
                account_value: AccountRef::sub(
                    account.master_id(),
                    SubAccountId(created.sub_account.id),
                )
                .value(),
                name: created.sub_account.name,
                api_key: created.api_key,
            };
            Ok(render_page(StatusCode::CREATED, &page))
        }
        Err(CreateRefusal::NameTaken) => {
            account_page(&state, layout, &person, form.name, name_taken(l)).await
        }
        Err(CreateRefusal::PlanLimit(limit)) => {
            let mut errors = FormErrors::default();
            errors.add(
                "name",
                l.tr1("sub-account-limit-reached", "limit", i64::from(limit)),
            );
            account_page(&state, layout, &person, form.name, errors).await
        }
    }
}

fn rename_page(
    layout: Layout,
    id: i64,
    current_name: String,
    name: String,
    errors: FormErrors,
) -> HttpResponse {
    let status = errors.status();
    render_page(
        status,
        &RenamePage {
            layout,
            id,
            current_name,
            name,
            errors,
        },
    )
}

pub async fn edit(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let sub = sub_accounts::find(&state, owner.account.id, *id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(rename_page(
        layout,
        sub.id,
        sub.name.clone(),
        sub.name,
        FormErrors::default(),
    ))
}

pub async fn update(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    id: web::Path<i64>,
    Form(form): Form<NameForm>,
) -> AppResult<HttpResponse> {
    let account_id = owner.account.id;
    let l = layout.locale;
    let sub = sub_accounts::find(&state, account_id, *id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = match parse_name(l, &form.name) {
        Ok(name) => name,
        Err(errors) => return Ok(rename_page(layout, sub.id, sub.name, form.name, errors)),
    };
    match sub_accounts::rename(&state, account_id, sub.id, name).await? {
        Ok(()) => {
            session.set_flash(&l.t(messages::FLASH_SUB_ACCOUNT_RENAMED))?;
            Ok(see_other("/account"))
        }
        Err(NameTaken) => Ok(rename_page(
            layout,
            sub.id,
            sub.name,
            form.name,
            name_taken(l),
        )),
    }
}
