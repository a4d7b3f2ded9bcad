//! Rows of `webhook_endpoints` and `webhook_deliveries` (INTEGRATION.md S17). Deliveries are
//! added by `audit::record_with_event` in the change's own statement; the worker claims them
//! here as the mail outbox does.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{webhook_deliveries, webhook_endpoints};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub id: i64,
    pub master_account_id: Option<i64>,
    pub url: String,
    pub secret: String,
    pub from_env: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub message_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

pub fn insert_endpoint(
    conn: &mut PgConnection,
    master: i64,
    url: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> QueryResult<Endpoint> {
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::master_account_id.eq(master),
            webhook_endpoints::url.eq(url),
            webhook_endpoints::secret.eq(secret),
            webhook_endpoints::created_at.eq(now),
        ))
        .returning(Endpoint::as_returning())
        .get_result(conn)
}

/// Makes the instance-wide endpoints exactly those of WEBHOOKS: new ones added, changed secrets
/// taken, those no longer listed removed (with their deliveries).
pub fn sync_env_endpoints(
    conn: &mut PgConnection,
    listed: &[(String, String)],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        let urls: Vec<&str> = listed.iter().map(|(url, _)| url.as_str()).collect();
        diesel::delete(
            webhook_endpoints::table
                .filter(webhook_endpoints::from_env)
                .filter(webhook_endpoints::url.ne_all(&urls)),
        )
        .execute(conn)?;
        for (url, secret) in listed {
            diesel::insert_into(webhook_endpoints::table)
                .values((
                    webhook_endpoints::url.eq(url),
                    webhook_endpoints::secret.eq(secret),
                    webhook_endpoints::from_env.eq(true),
                    webhook_endpoints::created_at.eq(now),
                ))
                .on_conflict(webhook_endpoints::url)
                .filter_target(webhook_endpoints::from_env)
                .do_update()
                .set(webhook_endpoints::secret.eq(secret))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The owner's endpoints, oldest first, each with its deliveries that failed for good.
pub fn of_account(conn: &mut PgConnection, master: i64) -> QueryResult<Vec<(Endpoint, i64)>> {
    let failed = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(webhook_endpoints::id))
        .filter(webhook_deliveries::status.eq("failed"))
        .count()
        .single_value();
    webhook_endpoints::table
        .filter(webhook_endpoints::master_account_id.eq(master))
        .order(webhook_endpoints::id)
        .select((Endpoint::as_select(), failed.assume_not_null()))
        .load(conn)
}

pub fn count_of_account(conn: &mut PgConnection, master: i64) -> QueryResult<i64> {
    webhook_endpoints::table
        .filter(webhook_endpoints::master_account_id.eq(master))
        .count()
        .get_result(conn)
}

/// The owner's endpoint `id`; another owner's is not found.
pub fn find(conn: &mut PgConnection, master: i64, id: i64) -> QueryResult<Option<Endpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::id.eq(id))
        .filter(webhook_endpoints::master_account_id.eq(master))
        .select(Endpoint::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut PgConnection, master: i64, id: i64) -> QueryResult<bool> {
    diesel::delete(
        webhook_endpoints::table
            .filter(webhook_endpoints::id.eq(id))
            .filter(webhook_endpoints::master_account_id.eq(master)),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// The endpoint's newest deliveries, newest first.
/// One endpoint of `master`'s with its newest `limit` deliveries, newest first, in one statement
/// (the endpoint on each row); `None` when it is not theirs.
pub fn log(
    conn: &mut PgConnection,
    master: i64,
    endpoint: i64,
    limit: i64,
) -> QueryResult<Option<(Endpoint, Vec<Delivery>)>> {
    let rows: Vec<(Endpoint, Option<Delivery>)> = webhook_endpoints::table
        .left_join(
            webhook_deliveries::table.on(webhook_deliveries::endpoint_id.eq(webhook_endpoints::id)),
        )
        .filter(webhook_endpoints::id.eq(endpoint))
        .filter(webhook_endpoints::master_account_id.eq(master))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select((Endpoint::as_select(), Option::<Delivery>::as_select()))
        .load(conn)?;
    let mut rows = rows.into_iter();
    Ok(rows.next().map(|(endpoint, first)| {
        let deliveries = first
            .into_iter()
            .chain(rows.filter_map(|(_, delivery)| delivery));
        (endpoint, deliveries.collect())
    }))
}

/// Claims up to `limit` due deliveries with their endpoints, pushing each out by the lease:
/// `SKIP LOCKED` lets several server processes share the queue, each delivery claimed by one.
pub fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
    lease_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Delivery, Endpoint)>> {
    conn.transaction(|conn| {
        let ids: Vec<i64> = webhook_deliveries::table
            .filter(webhook_deliveries::status.eq("pending"))
            .filter(webhook_deliveries::next_attempt_at.le(now))
            .order(webhook_deliveries::id)
            .limit(limit)
            .select(webhook_deliveries::id)
            .for_update()
            .skip_locked()
            .load(conn)?;
        // An idle poll ends here: one read.
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let claimed: Vec<Delivery> =
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
                .set((
                    webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                    webhook_deliveries::next_attempt_at.eq(lease_until),
                ))
                .returning(Delivery::as_returning())
                .get_results(conn)?;
        let endpoint_ids: Vec<i64> = claimed.iter().map(|d| d.endpoint_id).collect();
        let endpoints: Vec<Endpoint> = webhook_endpoints::table
            .filter(webhook_endpoints::id.eq_any(&endpoint_ids))
            .select(Endpoint::as_select())
            .load(conn)?;
        Ok(claimed
            .into_iter()
            .filter_map(|delivery| {
                let endpoint = endpoints.iter().find(|e| e.id == delivery.endpoint_id)?;
                Some((delivery, endpoint.clone()))
            })
            .collect())
    })
}

/// Gives back claims a worker will not use (it is stopping): due again at `now`, the attempt the
/// claim counted taken back; a delivery claimed again since is left alone.
pub fn release(
    conn: &mut PgConnection,
    claims: &[(i64, i32)],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let mut released = 0;
    for &(id, attempt) in claims {
        released += diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::id.eq(id))
                .filter(webhook_deliveries::attempts.eq(attempt))
                .filter(webhook_deliveries::status.eq("pending")),
        )
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts - 1),
            webhook_deliveries::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(released)
}

/// What one attempt came to.
pub enum Outcome {
    Delivered,
    /// Tried again at this time.
    Retry(DateTime<Utc>),
    Failed,
}

/// Records one attempt, unless the delivery was claimed again since (its lease ran out).
pub fn record(
    conn: &mut PgConnection,
    id: i64,
    attempt: i32,
    outcome: Outcome,
    status: Option<i32>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let row = webhook_deliveries::table
        .filter(webhook_deliveries::id.eq(id))
        .filter(webhook_deliveries::attempts.eq(attempt))
        .filter(webhook_deliveries::status.eq("pending"));
    let noted = (
        webhook_deliveries::last_status.eq(status),
        webhook_deliveries::last_error.eq(error),
    );
    match outcome {
        Outcome::Delivered => diesel::update(row)
            .set((
                noted,
                webhook_deliveries::status.eq("delivered"),
                webhook_deliveries::delivered_at.eq(now),
            ))
            .execute(conn),
        Outcome::Retry(at) => diesel::update(row)
            .set((noted, webhook_deliveries::next_attempt_at.eq(at)))
            .execute(conn),
        Outcome::Failed => diesel::update(row)
            .set((noted, webhook_deliveries::status.eq("failed")))
            .execute(conn),
    }
}

/// "Re-send" of a failed delivery of the owner's: pending again now, its attempts starting
/// over, its `webhook-id` kept so the receiver can tell it from a new event.
pub fn resend(
    conn: &mut PgConnection,
    master: i64,
    endpoint: i64,
    delivery: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let owned = webhook_endpoints::table
        .filter(webhook_endpoints::id.eq(endpoint))
        .filter(webhook_endpoints::master_account_id.eq(master))
        .select(webhook_endpoints::id);
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(delivery))
            .filter(webhook_deliveries::endpoint_id.eq_any(owned))
            .filter(webhook_deliveries::status.eq("failed")),
    )
    .set((
        webhook_deliveries::status.eq("pending"),
        webhook_deliveries::attempts.eq(0),
        webhook_deliveries::next_attempt_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n > 0)
}
