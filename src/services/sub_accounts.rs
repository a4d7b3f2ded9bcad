//! The owner's own master account and its sub-accounts.

use crate::{
    db::{self, accounts::Account, sub_accounts::SubAccount},
    domain::{ids::PersonId, name::SubAccountName, plan::Plan},
    error::{AppError, AppResult},
    secrets,
    services::limits::{self, Limited},
    state::AppState,
};

/// The name is already used by another sub-account of the same owner.
#[derive(Debug, PartialEq, Eq)]
pub struct NameTaken;

/// Why a sub-account was not created; each has words beside the name field.
#[derive(Debug, PartialEq, Eq)]
pub enum CreateRefusal {
    NameTaken,
    /// The plan's cap is reached: this many at most.
    PlanLimit(u32),
}

/// How many sub-accounts the account may have.
pub fn limit_of(account: &Account) -> u32 {
    let plan = Plan::from_code(&account.plan).unwrap_or(Plan::Free);
    plan.sub_account_limit(
        account
            .enterprise_sub_accounts
            .map(|limit| limit.max(0) as u32),
    )
}

/// A new sub-account with its API key, which exists only in this value: it is shown once.
pub struct CreatedSubAccount {
    pub sub_account: SubAccount,
    pub api_key: String,
}

/// Creates a sub-account of the owner's master account, within the plan's cap and the owner's
/// hourly limit, for an owner whose address is verified. Under the account's lock, so that
/// creations sent together cannot pass the cap.
pub async fn create(
    state: &AppState,
    owner: PersonId,
    verified: bool,
    account: &Account,
    name: SubAccountName,
) -> AppResult<Result<CreatedSubAccount, CreateRefusal>> {
    if !verified {
        return Err(AppError::AddressNotVerified);
    }
    let api_key = format!("as_{}", secrets::random_token());
    let api_key_hash = secrets::token_hash(&api_key);
    let api_key_hint = api_key[api_key.len() - 4..].to_owned();
    let master = account.master_id();
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    state
        .db
        .transaction(move |conn| {
            let account = db::members::lock_account(conn, master)?;
            let limit = limit_of(&account);
            if db::sub_accounts::count(conn, master)? >= i64::from(limit) {
                return Ok(Err(CreateRefusal::PlanLimit(limit)));
            }
            limits::count(
                conn,
                &rates,
                Limited::SubAccountsPerOwner,
                &owner.0.to_string(),
                now,
            )?;
            let new = db::sub_accounts::NewSubAccount {
                master_account_id: master.0,
                name: name.as_str(),
                api_key_hash: &api_key_hash,
                api_key_hint: &api_key_hint,
            };
            // In a savepoint: the unique index settles concurrent creations with one name, and
            // its refusal must not end the transaction.
            match diesel::Connection::transaction(conn, |conn| db::sub_accounts::insert(conn, &new))
            {
                Ok(sub_account) => Ok(Ok(CreatedSubAccount {
                    sub_account,
                    api_key,
                })),
                Err(e) if db::sub_accounts::is_name_taken(&e) => Ok(Err(CreateRefusal::NameTaken)),
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
