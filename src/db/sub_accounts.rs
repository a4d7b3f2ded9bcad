//! Rows of `sub_accounts`. Every query names the master account, so another owner's ids find
//! nothing (R12).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::sub_accounts;
use crate::domain::ids::MasterAccountId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sub_accounts)]
pub struct SubAccount {
    pub id: i64,
    pub master_account_id: i64,
    pub name: String,
    pub api_key_hint: String,
    pub created_at: DateTime<Utc>,
}

/// Each sub-account's id and name, as a statement reads them beside its own rows.
pub type Names = Vec<(i64, String)>;

#[derive(Insertable)]
#[diesel(table_name = sub_accounts)]
pub struct NewSubAccount<'a> {
    pub master_account_id: i64,
    pub name: &'a str,
    pub api_key_hash: &'a [u8],
    pub api_key_hint: &'a str,
}

pub fn count(conn: &mut PgConnection, master: MasterAccountId) -> QueryResult<i64> {
    sub_accounts::table
        .filter(sub_accounts::master_account_id.eq(master.0))
        .count()
        .get_result(conn)
}

pub fn list(conn: &mut PgConnection, master: MasterAccountId) -> QueryResult<Vec<SubAccount>> {
    sub_accounts::table
        .filter(sub_accounts::master_account_id.eq(master.0))
        .order((sub_accounts::name, sub_accounts::id))
        .select(SubAccount::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut PgConnection,
    master_account_id: i64,
    id: i64,
) -> QueryResult<Option<SubAccount>> {
    sub_accounts::table
        .filter(sub_accounts::master_account_id.eq(master_account_id))
        .filter(sub_accounts::id.eq(id))
        .select(SubAccount::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut PgConnection, sub_account: &NewSubAccount) -> QueryResult<SubAccount> {
    diesel::insert_into(sub_accounts::table)
        .values(sub_account)
        .returning(SubAccount::as_returning())
        .get_result(conn)
}

pub fn rename(
    conn: &mut PgConnection,
    master_account_id: i64,
    id: i64,
    name: &str,
) -> QueryResult<usize> {
    diesel::update(
        sub_accounts::table
            .filter(sub_accounts::master_account_id.eq(master_account_id))
            .filter(sub_accounts::id.eq(id)),
    )
    .set(sub_accounts::name.eq(name))
    .execute(conn)
}

/// True when the error is the per-owner unique name index refusing a duplicate name.
pub fn is_name_taken(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some("sub_accounts_name_per_master")
    )
}
