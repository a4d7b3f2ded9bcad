//! Rows of `outbox`: mail waiting to be sent, and what became of it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::outbox;
use crate::domain::ids::MemberId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub master_account_id: Option<i64>,
    pub recipient: String,
    pub message: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub locale: String,
}

#[derive(Insertable)]
#[diesel(table_name = outbox)]
pub struct NewOutboxRow<'a> {
    pub master_account_id: Option<i64>,
    pub member_id: Option<i64>,
    pub recipient: &'a str,
    pub message: serde_json::Value,
    pub locale: &'a str,
}

pub fn insert(conn: &mut PgConnection, row: &NewOutboxRow) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values(row)
        .returning(outbox::id)
        .get_result(conn)
}

/// Claims up to `limit` due messages for one delivery attempt. `SKIP LOCKED` lets several workers
/// share the queue; pushing `next_attempt_at` out by `lease` means a worker that dies mid-batch
/// leaves its messages to be retried once the lease runs out, never lost (R31).
pub fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
    lease_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Vec<OutboxRow>> {
    conn.transaction(|conn| {
        let ids: Vec<i64> = outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::next_attempt_at.le(now))
            .order(outbox::id)
            .limit(limit)
            .select(outbox::id)
            .for_update()
            .skip_locked()
            .load(conn)?;
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::next_attempt_at.eq(lease_until),
            ))
            .returning(OutboxRow::as_returning())
            .get_results(conn)
    })
}

/// Gives back claims a worker will not use (it is stopping): the messages are due again at
/// `now`, and the attempt the claim counted is taken back. A row claimed again since is left
/// alone.
pub fn release(
    conn: &mut PgConnection,
    claims: &[(i64, i32)],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut released = 0;
    for &(id, attempt) in claims {
        released += diesel::update(outbox::table.filter(claimed(id, attempt)))
            .set((
                outbox::attempts.eq(outbox::attempts - 1),
                outbox::next_attempt_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(released)
}

/// What waits to go out, of one kind, across every process.
#[derive(Debug, Clone, QueryableByName)]
pub struct Backlog {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pending: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub oldest_age_seconds: i64,
}

/// Pending mails and webhook deliveries, and the age of the oldest of each, in one read.
pub fn backlog(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<Vec<Backlog>> {
    diesel::sql_query(
        "SELECT 'mail' AS kind, count(*) AS pending, \
             coalesce(extract(epoch FROM $1 - min(created_at)), 0)::int8 AS oldest_age_seconds \
         FROM outbox WHERE status = 'pending' \
         UNION ALL \
         SELECT 'webhook', count(*), coalesce(extract(epoch FROM $1 - min(created_at)), 0)::int8 \
         FROM webhook_deliveries WHERE status = 'pending'",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .load(conn)
}

/// The row as one claim left it: still pending, and not claimed again since (a claim counts an
/// attempt). A worker that outlived its lease, say stuck on a relay that stopped answering,
/// then records nothing over what the next worker did.
#[diesel::dsl::auto_type]
fn claimed(id: i64, attempt: i32) -> _ {
    let pending: &'static str = "pending";
    outbox::id
        .eq(id)
        .and(outbox::attempts.eq(attempt))
        .and(outbox::status.eq(pending))
}

pub fn mark_sent(
    conn: &mut PgConnection,
    id: i64,
    attempt: i32,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(claimed(id, attempt)))
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(now),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

pub fn mark_cancelled(conn: &mut PgConnection, id: i64, attempt: i32) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(claimed(id, attempt)))
        .set(outbox::status.eq("cancelled"))
        .execute(conn)
}

pub fn schedule_retry(
    conn: &mut PgConnection,
    id: i64,
    attempt: i32,
    at: DateTime<Utc>,
    error: &str,
) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(claimed(id, attempt)))
        .set((outbox::next_attempt_at.eq(at), outbox::last_error.eq(error)))
        .execute(conn)
}

pub fn mark_failed(
    conn: &mut PgConnection,
    id: i64,
    attempt: i32,
    error: &str,
) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(claimed(id, attempt)))
        .set((outbox::status.eq("failed"), outbox::last_error.eq(error)))
        .execute(conn)
}

/// Whether an invitation mail for this member was queued since `since` and has not gone yet:
/// a second "Re-send" then would only send a duplicate.
pub fn has_fresh_pending_for_member(
    conn: &mut PgConnection,
    member: MemberId,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outbox::table
            .filter(outbox::member_id.eq(member.0))
            .filter(outbox::status.eq("pending"))
            .filter(outbox::created_at.gt(since)),
    ))
    .get_result(conn)
}

/// Withdraws every message of an owner's still waiting to go: for seeded data, whose addresses
/// are made up.
pub fn cancel_pending_of_account(
    conn: &mut PgConnection,
    master: crate::domain::ids::MasterAccountId,
) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::master_account_id.eq(master.0))
            .filter(outbox::status.eq("pending")),
    )
    .set(outbox::status.eq("cancelled"))
    .execute(conn)
}
