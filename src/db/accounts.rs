//! Rows of `accounts`: master accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::accounts;
use crate::domain::ids::MasterAccountId;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub owner_id: i64,
    pub plan: String,
    pub enterprise_seats: Option<i32>,
    pub enterprise_advanced: Option<i32>,
    pub created_at: DateTime<Utc>,
    /// Set by the operator for an Enterprise account; else the plan's cap.
    pub enterprise_sub_accounts: Option<i32>,
    /// Members, whatever their status: kept by `members::refresh_usage`.
    pub seats_used: i32,
    /// Members holding a premium role somewhere: kept by `members::refresh_usage`.
    pub advanced_used: i32,
    /// Since when everyone with access needs a second factor to use it; `None`: not required.
    pub require_two_factor_since: Option<DateTime<Utc>>,
}

impl Account {
    pub fn master_id(&self) -> MasterAccountId {
        MasterAccountId(self.id)
    }
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub owner_id: i64,
    pub plan: &'a str,
}

pub fn insert(conn: &mut PgConnection, account: &NewAccount) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values(account)
        .returning(Account::as_returning())
        .get_result(conn)
}

/// The first account `owner_id` came to own, if any.
pub fn find_by_owner(conn: &mut PgConnection, owner_id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::owner_id.eq(owner_id))
        .order(accounts::id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut PgConnection, id: i64) -> QueryResult<Account> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn set_plan(conn: &mut PgConnection, id: i64, plan: &str) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::plan.eq(plan))
        .execute(conn)
}

/// Enterprise limits are the operator's to set (README); the scale seed sets them as they would.
pub fn set_enterprise_limits(
    conn: &mut PgConnection,
    id: i64,
    seats: i32,
    advanced: i32,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::enterprise_seats.eq(seats),
            accounts::enterprise_advanced.eq(advanced),
        ))
        .execute(conn)
}

/// Hands the account to another owner.
pub fn set_owner(conn: &mut PgConnection, id: i64, owner_id: i64) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::owner_id.eq(owner_id))
        .execute(conn)
}
