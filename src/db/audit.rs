//! Rows of `audit_events`: added, never changed (the table's trigger refuses UPDATE and DELETE).

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use diesel::{
    deserialize::{self, FromSql, FromSqlRow},
    pg::{Pg, PgValue},
    prelude::*,
    sql_types::Json,
};
use ipnet::IpNet;

use crate::domain::audit::{GroupedStates, State};

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
    pub grouped_states: Option<serde_json::Value>,
}

/// A recorded state, read from its JSON straight into the domain's type. Going through a
/// `serde_json::Value` first built and dropped a map per account of the state (up to 101) and
/// took half the Activity page's time in the server. A state this version cannot read (none
/// today) is shown as none rather than failing the page.
#[derive(Debug, Clone, FromSqlRow)]
pub struct Recorded(pub Option<State>);

/// Inside a JSON list (`about_person_with_accounts`), as from its column: a state this version
/// cannot read is none.
impl<'de> serde::Deserialize<'de> for Recorded {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Recorded(serde_json::from_value(value).ok()))
    }
}

/// A `json` column read into `T`, or none when this version cannot read it. `json` arrives as
/// the text it was stored as, checked as UTF-8 once, whole: parsed as bytes, serde_json checks
/// each string apart, which cost more than the check.
fn json_or_none<T: serde::de::DeserializeOwned>(
    value: PgValue<'_>,
) -> deserialize::Result<Option<T>> {
    let text = std::str::from_utf8(value.as_bytes())?;
    Ok(serde_json::from_str(text).ok())
}

impl FromSql<Json, Pg> for Recorded {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        json_or_none(value).map(Recorded)
    }
}

/// Both states of a record as the Activity page describes them (`domain::audit::GroupedStates`);
/// none when they cannot be read, and the page groups the states instead.
#[derive(Debug, Clone, FromSqlRow)]
pub struct Grouped(pub Option<GroupedStates>);

impl FromSql<Json, Pg> for Grouped {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        json_or_none(value).map(Grouped)
    }
}

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, serde::Deserialize)]
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
    /// Read by the Activity page only (`page`), which then reads no state.
    #[serde(skip)]
    pub grouped_states: Option<Grouped>,
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
    use diesel::sql_types::{BigInt, Inet, Json, Nullable, Text, Timestamptz};
    diesel::sql_query(
        "WITH recorded AS ( \
            INSERT INTO audit_events (master_account_id, actor_person_id, actor_email, action, \
                target_email, target_person_id, target_member_id, client_ip, before, after, \
                actor_token, grouped_states) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $16) RETURNING id \
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
    .bind::<Nullable<Json>, _>(&event.before)
    .bind::<Nullable<Json>, _>(&event.after)
    .bind::<Nullable<Text>, _>(event.actor_token)
    .bind::<Text, _>(announcement.message_id)
    .bind::<Text, _>(announcement.event_type)
    .bind::<Text, _>(announcement.payload)
    .bind::<Timestamptz, _>(now)
    .bind::<Nullable<Json>, _>(&event.grouped_states)
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

/// The text of `page` for the filters given, as bits: person, actions, from, until, before.
fn page_text(given: usize) -> String {
    let filters = [
        // Records made before a person accepted name their address, not yet their login: a
        // name finds them through the people it matches.
        " AND (e.target_email ILIKE $2 OR e.actor_email ILIKE $2 \
           OR e.target_person_id IN (SELECT id FROM people WHERE display_name ILIKE $2) \
           OR e.actor_person_id IN (SELECT id FROM people WHERE display_name ILIKE $2) \
           OR e.target_email IN (SELECT email FROM people WHERE display_name ILIKE $2))",
        " AND e.action = ANY($3)",
        " AND e.occurred_at >= $4",
        " AND e.occurred_at < $5",
        " AND e.id < $6",
    ];
    let mut conditions = String::from("e.master_account_id = $1");
    for (bit, condition) in filters.iter().enumerate() {
        if given & (1 << bit) != 0 {
            conditions.push_str(condition);
        }
    }
    // The sub-accounts ride on the page's newest record, found by the same walk of the index
    // reading ids only (an init plan, run once); a CTE of the page instead copied and sorted its
    // rows, JSONB states and all. For the Activity page ($9), a record's grouped states stand in
    // for its states: those are left unread (not even fetched from TOAST).
    format!(
        "SELECT e.id, e.master_account_id, e.occurred_at, e.actor_person_id, e.actor_email, \
                e.action, e.target_email, e.target_person_id, e.client_ip, \
                CASE WHEN $9 THEN e.grouped_states END AS grouped_states, \
                CASE WHEN $9 AND e.grouped_states IS NOT NULL THEN NULL ELSE e.before END \
                    AS before, \
                CASE WHEN $9 AND e.grouped_states IS NOT NULL THEN NULL ELSE e.after END \
                    AS after, \
                e.actor_token, \
                CASE WHEN $9 AND e.id = ( \
                    SELECT max(newest.id) FROM ( \
                        SELECT e.id FROM audit_events e WHERE {conditions} \
                        ORDER BY e.id DESC OFFSET $7 LIMIT $8) newest \
                ) THEN ( \
                    SELECT coalesce(json_agg(json_build_array(s.id, s.name) ORDER BY s.name, s.id), '[]') \
                    FROM sub_accounts s WHERE s.master_account_id = $1 \
                )::text END AS sub_accounts \
         FROM audit_events e WHERE {conditions} \
         ORDER BY e.id DESC OFFSET $7 LIMIT $8"
    )
}

/// The 32 texts of `page`, by the filters given.
static PAGE: LazyLock<[String; 32]> = LazyLock::new(|| std::array::from_fn(page_text));

/// One page of an account's records, newest first, with one more than `limit` when there are
/// more: one statement on the (account, id) index. For the Activity page
/// (`for_activity_page`), each record's grouped states in place of its states where it has them,
/// and, when the page has a record, the account's sub-accounts now (id and name, by name) to
/// describe them with.
///
/// Its text holds only the filters given: with generic plans (`db::connect`), a filter written
/// as `$2 IS NULL OR ...` cannot be left out by the planner, and made the unfiltered page scan
/// and sort all of the account's records (1.3 ms instead of 0.06 ms at 1,334 records). The text
/// is one of 32, each prepared once per connection; every value goes as a parameter, numbered
/// the same whichever are used.
pub fn page(
    conn: &mut PgConnection,
    master_account_id: i64,
    filter: &EventFilter,
    offset: i64,
    limit: i64,
    for_activity_page: bool,
) -> QueryResult<(Vec<Event>, super::sub_accounts::Names)> {
    use diesel::sql_types::{Array, BigInt, Bool, Nullable, Text, Timestamptz};

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(embed)]
        event: Event,
        #[diesel(sql_type = Nullable<Text>)]
        sub_accounts: Option<String>,
    }
    let given = [
        filter.person.is_some(),
        filter.actions.is_some(),
        filter.from.is_some(),
        filter.until.is_some(),
        filter.before_id.is_some(),
    ]
    .into_iter()
    .enumerate()
    .fold(0, |bits, (bit, given)| bits | usize::from(given) << bit);
    let rows: Vec<Row> = super::Prepared(
        diesel::sql_query(PAGE[given].as_str())
            .bind::<BigInt, _>(master_account_id)
            .bind::<Nullable<Text>, _>(filter.person.as_deref().map(super::like_pattern))
            .bind::<Nullable<Array<Text>>, _>(filter.actions.as_deref())
            .bind::<Nullable<Timestamptz>, _>(filter.from)
            .bind::<Nullable<Timestamptz>, _>(filter.until)
            .bind::<Nullable<BigInt>, _>(filter.before_id)
            .bind::<BigInt, _>(offset)
            .bind::<BigInt, _>(limit + 1)
            .bind::<Bool, _>(for_activity_page),
    )
    .load(conn)?;
    let mut sub_accounts = Vec::new();
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(list) = row.sub_accounts {
            sub_accounts = super::from_json(&list)?;
        }
        events.push(row.event);
    }
    Ok((events, sub_accounts))
}

/// My account's two lists in one statement: every account the person reaches, as
/// `members::reachable` reads them (acting on `own_master`), and up to `limit` records about their
/// own access, across every owner, newest first: those naming this login, and those of an
/// invitation this login accepted (made before the owner knew who would accept it). Never by
/// address: whoever holds an address now is not whoever it was invited as, nor does a record
/// follow a login to a new address.
pub fn about_person_with_accounts(
    conn: &mut PgConnection,
    person_id: i64,
    own_master: Option<i64>,
    today: chrono::NaiveDate,
    limit: i64,
) -> QueryResult<(Vec<super::members::ReachableRow>, Vec<Event>)> {
    use diesel::sql_types::{BigInt, Date, Nullable, Text};

    #[derive(QueryableByName)]
    struct Lists {
        #[diesel(sql_type = Text)]
        accounts: String,
        #[diesel(sql_type = Text)]
        records: String,
    }
    let lists: Lists = super::Prepared(
        diesel::sql_query(concat!(
            "SELECT (SELECT coalesce(json_agg(r), '[]') FROM (",
            super::members::reachable_sql!(),
            ") r)::text AS accounts, \
             (SELECT coalesce(json_agg(rec), '[]') FROM ( \
                 SELECT e.id, e.master_account_id, e.occurred_at, e.actor_person_id, \
                        e.actor_email, e.action, e.target_email, e.target_person_id, \
                        e.client_ip::text AS client_ip, e.before, e.after, e.actor_token \
                 FROM audit_events e \
                 WHERE e.target_person_id = $1 \
                    OR e.target_member_id IN (SELECT m.id FROM members m WHERE m.person_id = $1) \
                 ORDER BY e.id DESC LIMIT $4 \
             ) rec)::text AS records"
        ))
        .bind::<BigInt, _>(person_id)
        .bind::<Nullable<BigInt>, _>(own_master)
        .bind::<Date, _>(today)
        .bind::<BigInt, _>(limit),
    )
    .get_result(conn)?;
    Ok((
        super::from_json(&lists.accounts)?,
        super::from_json(&lists.records)?,
    ))
}
