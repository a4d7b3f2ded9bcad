//! The owner's own master account and its sub-accounts.

use crate::{
    db, db::sub_accounts::SubAccount, domain::name::SubAccountName, error::AppResult, secrets,
    state::AppState,
};

/// The name is already used by another sub-account of the same owner.
#[derive(Debug, PartialEq, Eq)]
pub struct NameTaken;

/// A new sub-account with its API key, which exists only in this value: it is shown once.
pub struct CreatedSubAccount {
    pub sub_account: SubAccount,
    pub api_key: String,
}

pub async fn create(
    state: &AppState,
    account_id: i64,
    name: SubAccountName,
) -> AppResult<Result<CreatedSubAccount, NameTaken>> {
    let api_key = format!("as_{}", secrets::random_token());
    let api_key_hash = secrets::token_hash(&api_key);
    let api_key_hint = api_key[api_key.len() - 4..].to_owned();
    state
        .db
        .run(move |conn| {
            let new = db::sub_accounts::NewSubAccount {
                master_account_id: account_id,
                name: name.as_str(),
                api_key_hash: &api_key_hash,
                api_key_hint: &api_key_hint,
            };
            // A single statement, so the unique index settles concurrent creations with one name.
            match db::sub_accounts::insert(conn, &new) {
                Ok(sub_account) => Ok(Ok(CreatedSubAccount {
                    sub_account,
                    api_key,
                })),
                Err(e) if db::sub_accounts::is_name_taken(&e) => Ok(Err(NameTaken)),
                Err(e) => Err(e.into()),
            }
        })
        .await
}

pub async fn find(
    state: &AppState,
    account_id: i64,
    sub_account_id: i64,
) -> AppResult<Option<SubAccount>> {
    state
        .db
        .run(move |conn| Ok(db::sub_accounts::find(conn, account_id, sub_account_id)?))
        .await
}

/// Renames a sub-account of `account_id`; another owner's id is not found (R12).
pub async fn rename(
    state: &AppState,
    account_id: i64,
    sub_account_id: i64,
    name: SubAccountName,
) -> AppResult<Result<(), NameTaken>> {
    state
        .db
        .run(move |conn| {
            match db::sub_accounts::rename(conn, account_id, sub_account_id, name.as_str()) {
                Ok(0) => Err(crate::error::AppError::NotFound),
                Ok(_) => Ok(Ok(())),
                Err(e) if db::sub_accounts::is_name_taken(&e) => Ok(Err(NameTaken)),
                Err(e) => Err(e.into()),
            }
        })
        .await
}
