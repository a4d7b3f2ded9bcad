//! POST /account/sub-accounts (create), GET and POST /account/sub-accounts/{id}/rename.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::account::account_page;
use crate::{
    db,
    domain::name::SubAccountName,
    error::{AppError, AppResult},
    messages,
    services::sub_accounts::{self, NameTaken},
    state::AppState,
    web::{
        current::CurrentPerson,
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

fn parse_name(input: &str) -> Result<SubAccountName, FormErrors> {
    let mut errors = FormErrors::default();
    errors
        .check(
            "name",
            SubAccountName::parse(input),
            messages::sub_account_name_error,
        )
        .ok_or(errors)
}

fn name_taken() -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add("name", messages::SUB_ACCOUNT_NAME_TAKEN);
    errors
}

/// The caller's own master account: sub-accounts belong to owners only.
async fn own_account_id(state: &AppState, person: &CurrentPerson) -> AppResult<i64> {
    let owner_id = person.0.id;
    state
        .db
        .run(move |conn| Ok(db::accounts::find_by_owner(conn, owner_id)?))
        .await?
        .map(|account| account.id)
        .ok_or(AppError::Forbidden)
}

pub async fn create(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    Form(form): Form<NameForm>,
) -> AppResult<HttpResponse> {
    let account_id = own_account_id(&state, &person).await?;
    let name = match parse_name(&form.name) {
        Ok(name) => name,
        Err(errors) => return account_page(&state, &session, &person, form.name, errors).await,
    };
    match sub_accounts::create(&state, account_id, name).await? {
        Ok(created) => {
            let page = CreatedPage {
                layout: Layout::new(
                    &session,
                    Some(&person.0.display_name),
                    state.dev_mailbox.is_some(),
                )?,
                name: created.sub_account.name,
                api_key: created.api_key,
            };
            Ok(render_page(StatusCode::CREATED, &page))
        }
        Err(NameTaken) => account_page(&state, &session, &person, form.name, name_taken()).await,
    }
}

fn rename_page(
    state: &AppState,
    session: &TypedSession,
    person: &CurrentPerson,
    id: i64,
    current_name: String,
    name: String,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let status = errors.status();
    let layout = Layout::new(
        session,
        Some(&person.0.display_name),
        state.dev_mailbox.is_some(),
    )?;
    Ok(render_page(
        status,
        &RenamePage {
            layout,
            id,
            current_name,
            name,
            errors,
        },
    ))
}

pub async fn edit(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let account_id = own_account_id(&state, &person).await?;
    let sub = sub_accounts::find(&state, account_id, *id)
        .await?
        .ok_or(AppError::NotFound)?;
    rename_page(
        &state,
        &session,
        &person,
        sub.id,
        sub.name.clone(),
        sub.name,
        FormErrors::default(),
    )
}

pub async fn update(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    id: web::Path<i64>,
    Form(form): Form<NameForm>,
) -> AppResult<HttpResponse> {
    let account_id = own_account_id(&state, &person).await?;
    let sub = sub_accounts::find(&state, account_id, *id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = match parse_name(&form.name) {
        Ok(name) => name,
        Err(errors) => {
            return rename_page(
                &state, &session, &person, sub.id, sub.name, form.name, errors,
            );
        }
    };
    match sub_accounts::rename(&state, account_id, sub.id, name).await? {
        Ok(()) => {
            session.set_flash(messages::FLASH_SUB_ACCOUNT_RENAMED)?;
            Ok(see_other("/account"))
        }
        Err(NameTaken) => rename_page(
            &state,
            &session,
            &person,
            sub.id,
            sub.name,
            form.name,
            name_taken(),
        ),
    }
}
