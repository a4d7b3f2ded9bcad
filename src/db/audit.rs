//! Rows of `audit_events`: added, never changed (the table's trigger refuses UPDATE and DELETE).

use chrono::{DateTime, Utc};
use diesel::{
    deserialize::{self, FromSql, FromSqlRow},
    pg::{Pg, PgValue},
    prelude::*,
    sql_types::Jsonb,
};
use ipnet::IpNet;

use crate::domain::audit::State;

use super::schema::audit_events;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewEvent<'a> {
    pub master_account_id: i64,
    pub actor_person_id: Option<i64>,
    pub actor_email: Option<&'a str>,
    pub action: &'static str,
    pub target_email: Option<&'a str>,
    pub target_person_id: Option<i64>,
    pub target_member_id: Option<i64>,
    pub client_ip: Option<IpNet>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub actor_token: Option<&'a str>,
}

/// A recorded state, read from its JSONB straight into the domain's type. Going through a
/// `serde_json::Value` first built and dropped a map per account of the state (up to 101) and
/// took half the Activity page's time in the server. A state this version cannot read (none
/// today) is shown as none rather than failing the page.
#[derive(Debug, Clone, FromSqlRow)]
pub struct Recorded(pub Option<State>);

impl FromSql<Jsonb, Pg> for Recorded {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        // JSONB's binary form: a version byte, 1, then the JSON text.
        match value.as_bytes().split_first() {
            Some((1, json)) => Ok(Recorded(serde_json::from_slice(json).ok())),
            _ => Err("unsupported JSONB encoding version".into()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct Event {
    pub id: i64,
    pub master_account_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_person_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_email: Option<String>,
    pub target_person_id: Option<i64>,
    pub client_ip: Option<IpNet>,
    pub before: Option<Recorded>,
    pub after: Option<Recorded>,
    pub actor_token: Option<String>,
}

pub fn insert(conn: &mut PgConnection, event: &NewEvent) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)
        .map(|_| ())
}

/// A webhook message announcing a change (INTEGRATION.md S17).
pub struct Announcement<'a> {
    pub event_type: &'static str,
    pub message_id: &'a str,
    pub payload: &'a str,
}

/// The record and a delivery of `announcement` to each webhook endpoint of the account and of
/// the instance, in one statement: a change and its webhooks commit together, and a change
/// costs no more round trips with webhooks than without.
pub fn insert_announced(
    conn: &mut PgConnection,
    event: &NewEvent,
    announcement: &Announcement,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, Inet, Jsonb, Nullable, Text, Timestamptz};
    diesel::sql_query(
        "WITH recorded AS ( \
            INSERT INTO audit_events (master_account_id, actor_person_id, actor_email, action, \
                target_email, target_person_id, target_member_id, client_ip, before, after, \
                actor_token) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id \
         ) \
         INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, payload, \
             next_attempt_at, created_at) \
         SELECT w.id, $12, $13, $14, $15, $15 FROM webhook_endpoints w, recorded \
          WHERE w.master_account_id = $1 OR w.master_account_id IS NULL",
    )
    .bind::<BigInt, _>(event.master_account_id)
    .bind::<Nullable<BigInt>, _>(event.actor_person_id)
    .bind::<Nullable<Text>, _>(event.actor_email)
    .bind::<Text, _>(event.action)
    .bind::<Nullable<Text>, _>(event.target_email)
    .bind::<Nullable<BigInt>, _>(event.target_person_id)
    .bind::<Nullable<BigInt>, _>(event.target_member_id)
    .bind::<Nullable<Inet>, _>(event.client_ip)
    .bind::<Nullable<Jsonb>, _>(&event.before)
    .bind::<Nullable<Jsonb>, _>(&event.after)
    .bind::<Nullable<Text>, _>(event.actor_token)
    .bind::<Text, _>(announcement.message_id)
    .bind::<Text, _>(announcement.event_type)
    .bind::<Text, _>(announcement.payload)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .map(drop)
}

/// Whether `action` was recorded about a member since `since`.
pub fn recorded_since(
    conn: &mut PgConnection,
    member_id: i64,
    action: &str,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        audit_events::table
            .filter(audit_events::target_member_id.eq(member_id))
            .filter(audit_events::action.eq(action))
            .filter(audit_events::occurred_at.ge(since)),
    ))
    .get_result(conn)
}

/// Which records of one account a page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Records about, or made by, someone whose address or name holds this text.
    pub person: Option<String>,
    pub actions: Option<Vec<&'static str>>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// Keyset paging for the API: records older than this one.
    pub before_id: Option<i64>,
}

/// One page of an account's records, newest first, with one more than `limit` when there are
/// more: one statement on the (account, id) index.
pub fn page(
    conn: &mut PgConnection,
    master_account_id: i64,
    filter: &EventFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Event>> {
    let mut query = audit_events::table
        .filter(audit_events::master_account_id.eq(master_account_id))
        .select(Event::as_select())
        .order(audit_events::id.desc())
        .offset(offset)
        .limit(limit + 1)
        .into_boxed();
    if let Some(person) = &filter.person {
        use super::schema::people;
        let pattern = super::like_pattern(person);
        let named = people::table
            .filter(people::display_name.ilike(pattern.clone()))
            .select(people::id.nullable());
        // Records made before the person accepted name their address, not yet their login.
        let their_addresses = people::table
            .filter(people::display_name.ilike(pattern.clone()))
            .select(people::email.nullable());
        query = query.filter(
            audit_events::target_email
                .ilike(pattern.clone())
                .or(audit_events::actor_email.ilike(pattern))
                .or(audit_events::target_person_id.eq_any(named.clone()))
                .or(audit_events::actor_person_id.eq_any(named))
                .or(audit_events::target_email.eq_any(their_addresses)),
        );
    }
    if let Some(actions) = &filter.actions {
        query = query.filter(audit_events::action.eq_any(actions));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(audit_events::id.lt(before));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_events::occurred_at.lt(until));
    }
    query.load(conn)
}

/// The records about one person's own access, across every owner, newest first: those naming
/// this login, and those of an invitation this login accepted (made before the owner knew who
/// would accept it). Never by address: whoever holds an address now is not whoever it was
/// invited as, nor does a record follow a login to a new address.
pub fn about_person(
    conn: &mut PgConnection,
    person_id: i64,
    limit: i64,
) -> QueryResult<Vec<Event>> {
    use super::schema::members;
    let accepted = members::table
        .filter(members::person_id.eq(person_id))
        .select(members::id.nullable());
    audit_events::table
        .filter(
            audit_events::target_person_id
                .eq(person_id)
                .or(audit_events::target_member_id.eq_any(accepted)),
        )
        .select(Event::as_select())
        .order(audit_events::id.desc())
        .limit(limit)
        .load(conn)
}
