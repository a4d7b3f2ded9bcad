//! Rows of `ownership_transfers`: an account offered to a new owner, waiting for them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{accounts, ownership_transfers, people};

/// Offers the account to `to_person_id` until `expires_at`, replacing any earlier offer.
pub fn offer(
    conn: &mut PgConnection,
    master_account_id: i64,
    to_person_id: i64,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(ownership_transfers::table)
        .values((
            ownership_transfers::master_account_id.eq(master_account_id),
            ownership_transfers::to_person_id.eq(to_person_id),
            ownership_transfers::expires_at.eq(expires_at),
        ))
        .on_conflict(ownership_transfers::master_account_id)
        .do_update()
        .set((
            ownership_transfers::to_person_id.eq(to_person_id),
            ownership_transfers::expires_at.eq(expires_at),
            ownership_transfers::created_at.eq(now),
        ))
        .execute(conn)
}

/// The account's live offer: to whom (address) and until when.
pub fn live_offer(
    conn: &mut PgConnection,
    master_account_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<(String, DateTime<Utc>)>> {
    ownership_transfers::table
        .inner_join(people::table.on(people::id.eq(ownership_transfers::to_person_id)))
        .filter(ownership_transfers::master_account_id.eq(master_account_id))
        .filter(ownership_transfers::expires_at.gt(now))
        .select((people::email, ownership_transfers::expires_at))
        .first(conn)
        .optional()
}

/// One account offered to a person: (account, its owner's name and address, until when).
pub type Offer = (i64, String, String, DateTime<Utc>);

/// The live offers made to a person, oldest first.
pub fn offers_to(
    conn: &mut PgConnection,
    person_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Offer>> {
    ownership_transfers::table
        .inner_join(accounts::table.on(accounts::id.eq(ownership_transfers::master_account_id)))
        .inner_join(people::table.on(people::id.eq(accounts::owner_id)))
        .filter(ownership_transfers::to_person_id.eq(person_id))
        .filter(ownership_transfers::expires_at.gt(now))
        .order(ownership_transfers::created_at)
        .select((
            accounts::id,
            people::display_name,
            people::email,
            ownership_transfers::expires_at,
        ))
        .load(conn)
}

/// Uses up the live offer of the account to `to_person_id`: of two clicks, one finds it.
pub fn take(
    conn: &mut PgConnection,
    master_account_id: i64,
    to_person_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::delete(
        ownership_transfers::table
            .filter(ownership_transfers::master_account_id.eq(master_account_id))
            .filter(ownership_transfers::to_person_id.eq(to_person_id))
            .filter(ownership_transfers::expires_at.gt(now)),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Withdraws the account's offer, whoever it was to.
pub fn withdraw(conn: &mut PgConnection, master_account_id: i64) -> QueryResult<bool> {
    diesel::delete(
        ownership_transfers::table
            .filter(ownership_transfers::master_account_id.eq(master_account_id)),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}
