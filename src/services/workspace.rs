//! Working inside an account (SPEC S10): which accounts a person can reach, and where they stand
//! in one of them. Read from the database on every request, so an edit or deletion of access
//! takes effect on the person's very next request (R15).

use crate::{
    db::{self, accounts::Account, people::Person},
    domain::{
        access::Standing,
        ids::{AccountRef, MasterAccountId, PersonId, SubAccountId},
        role::Role,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    services::audit,
    state::AppState,
};

/// A person inside one account.
pub struct AccountContext {
    pub account: AccountRef,
    pub account_name: String,
    pub owner_name: String,
    pub owner_email: String,
    pub standing: Standing,
}

impl AccountContext {
    pub fn role(&self) -> Option<Role> {
        match self.standing {
            Standing::Owner => None,
            Standing::Member(grant) => Some(grant.role),
        }
    }
}

/// Where `person` stands in the account, or `None` if they cannot reach it at all, including
/// when it belongs to someone else or does not exist (the caller answers 404, R12).
pub async fn context(
    state: &AppState,
    l: Locale,
    person: PersonId,
    account: AccountRef,
) -> AppResult<Option<AccountContext>> {
    let sub = account.sub.map(|sub| sub.0);
    let now = state.settings.clock.now();
    let Some(row) = state
        .db
        .read(move |conn| {
            Ok(db::members::standing(
                conn,
                person.0,
                account.master.0,
                sub,
                now,
            )?)
        })
        .await?
    else {
        return Ok(None);
    };
    let account_name = match (sub, &row.sub_account_name) {
        (None, _) => messages::master_account(l),
        (Some(_), Some(name)) => name.clone(),
        (Some(_), None) => return Ok(None),
    };
    let standing = if row.owner_id == person.0 {
        Standing::Owner
    } else {
        let Some((_, grant)) = row
            .grant(sub)
            .and_then(|grant| grant.access(account.master))
        else {
            return Ok(None);
        };
        // Only someone with access learns of the requirement: anyone else gets the 404.
        if row.second_factor_missing {
            return Err(AppError::SecondFactorRequired);
        }
        Standing::Member(grant)
    };
    Ok(Some(AccountContext {
        account,
        account_name,
        owner_name: row.owner_name,
        owner_email: row.owner_email,
        standing,
    }))
}

/// An account in the switcher.
pub struct ReachableAccount {
    pub account: AccountRef,
    pub name: String,
    pub owner_name: String,
    pub own: bool,
    pub role: Option<Role>,
}

/// The person's own accounts first (master, then sub-accounts), then those shared with them, in
/// one connection checkout.
pub async fn reachable(
    state: &AppState,
    l: Locale,
    person: &Person,
    own: Option<&Account>,
) -> AppResult<Vec<ReachableAccount>> {
    let (person_id, person_name) = (person.person_id(), person.display_name.clone());
    let own = own.map(Account::master_id);
    let today = state.settings.clock.now().date_naive();
    let rows = state
        .db
        .read(move |conn| Ok(db::members::reachable(conn, person_id, own, today)?))
        .await?;
    // Someone who owns several master accounts tells them apart by number.
    let owned = rows
        .iter()
        .filter(|row| row.own && row.sub_account_id.is_none())
        .count();
    let accounts = rows.iter().filter_map(|row| {
        let master = MasterAccountId(row.master_account_id);
        if row.own {
            let (account, name) = match row.sub_account_id {
                None if owned > 1 => (
                    AccountRef::master(master),
                    messages::numbered_master_account(l, master),
                ),
                None => (AccountRef::master(master), messages::master_account(l)),
                Some(sub) => (
                    AccountRef::sub(master, SubAccountId(sub)),
                    row.sub_account_name.clone()?,
                ),
            };
            return Some(ReachableAccount {
                account,
                name,
                owner_name: person_name.clone(),
                own: true,
                role: None,
            });
        }
        let shared = SharedAccount::from_row(row)?;
        Some(ReachableAccount {
            account: shared.account,
            name: shared
                .sub_account_name
                .unwrap_or_else(|| messages::master_account(l)),
            owner_name: shared.owner_name,
            own: false,
            role: Some(shared.role),
        })
    });
    Ok(accounts.collect())
}

/// What My account lists.
pub struct MyAccount {
    /// The sub-accounts of the account the person owns and acts on.
    pub sub_accounts: Vec<db::sub_accounts::SubAccount>,
    /// The accounts shared with the person.
    pub shared: Vec<SharedAccount>,
    /// The newest records about the person's own access, with every owner; none until the person
    /// has proved their address, so a sign-up with someone else's address learns nothing.
    pub own_records: Vec<audit::Entry>,
}

/// My account's lists, in one statement.
pub async fn my_account(
    state: &AppState,
    person: &Person,
    own: Option<&Account>,
) -> AppResult<MyAccount> {
    let own = own.map(Account::master_id);
    let today = state.settings.clock.now().date_naive();
    let person_id = person.id;
    let records = if person.email_verified_at.is_some() {
        audit::OWN_RECORDS
    } else {
        0
    };
    let (rows, records) = state
        .db
        .read(move |conn| {
            Ok(db::audit::about_person_with_accounts(
                conn,
                person_id,
                own.map(|master| master.0),
                today,
                records,
            )?)
        })
        .await?;
    let sub_accounts = rows
        .iter()
        .filter(|row| row.own && Some(MasterAccountId(row.master_account_id)) == own)
        .filter_map(|row| {
            Some(db::sub_accounts::SubAccount {
                id: row.sub_account_id?,
                master_account_id: row.master_account_id,
                name: row.sub_account_name.clone()?,
                api_key_hint: row.api_key_hint.clone()?,
                created_at: row.created_at?,
            })
        })
        .collect();
    Ok(MyAccount {
        sub_accounts,
        shared: rows.iter().filter_map(SharedAccount::from_row).collect(),
        own_records: records.into_iter().map(audit::Entry::from).collect(),
    })
}

/// One account shared with a person, for the switcher and My account.
pub struct SharedAccount {
    pub account: AccountRef,
    /// The sub-account's name; `None` for the master account.
    pub sub_account_name: Option<String>,
    pub owner_name: String,
    pub owner_email: String,
    pub role: Role,
}

impl SharedAccount {
    /// The account a `reachable` row shares, `None` for one of the person's own or a role no
    /// longer in the catalogue.
    pub fn from_row(row: &db::members::ReachableRow) -> Option<SharedAccount> {
        let (account, granted) = row
            .grant()?
            .access(MasterAccountId(row.master_account_id))?;
        Some(SharedAccount {
            account,
            sub_account_name: row.sub_account_name.clone(),
            owner_name: row.owner_name.clone()?,
            owner_email: row.owner_email.clone()?,
            role: granted.role,
        })
    }
}
