//! Rows of `sessions`: server-side session state, keyed by the hash of the cookie's key.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{Bytea, Jsonb, Nullable, Text, Timestamptz},
};

use super::{
    members::{self, PeopleQuery, SharingPage, SharingPageRow},
    schema::sessions,
};
use crate::domain::ids::MasterAccountId;

/// The live session (not idle past `expires_at` at `{now}`, not older than `{born_after}`),
/// its idle limit moved out to `{extend_to}` when it is older than `{extend_before}`, and whose
/// it is (`signed`, with `person_id`, none for a state that names nobody). A data-modifying
/// WITH runs once and to completion whether or not the outer query reads it.
const LIVE: &str = "\
WITH live AS ( \
    SELECT key_hash, state, expires_at FROM sessions \
    WHERE key_hash = $1 AND expires_at > {now} AND created_at > {born_after} \
), extended AS ( \
    UPDATE sessions SET expires_at = {extend_to} FROM live \
    WHERE sessions.key_hash = live.key_hash AND live.expires_at < {extend_before} \
), signed AS ( \
    SELECT live.state, CASE WHEN live.state->>'person_id' ~ '^[0-9]{1,18}$' \
                            THEN (live.state->>'person_id')::bigint END AS person_id \
    FROM live \
)";

/// The signed-in person and the accounts they own, as JSON (`web::session::Who`).
const WHO: &str = "( \
    SELECT json_build_object('person', to_json(p), 'accounts', ( \
        SELECT coalesce(json_agg(to_json(a) ORDER BY a.id), '[]') \
        FROM accounts a WHERE a.owner_id = p.id))::text \
    FROM people p WHERE p.id = signed.person_id)";

/// `LIVE` with its times as the parameters `times` names, in the order of `LIVE`'s.
fn live_with(times: [&str; 4]) -> String {
    let names = ["{now}", "{born_after}", "{extend_to}", "{extend_before}"];
    names
        .iter()
        .zip(times)
        .fold(LIVE.to_owned(), |text, (name, parameter)| {
            text.replace(name, parameter)
        })
}

static LOAD_AND_EXTEND: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} SELECT signed.state, {WHO} AS who FROM signed",
        live_with(["$2", "$3", "$4", "$5"])
    )
});

/// State of a live session (not idle past `expires_at` at `now`, not older than `born_after`),
/// its idle limit moved out to `extend_to` when it is older than `extend_before`, and the
/// signed-in person with the accounts they own (`Who`, as JSON): one statement per request,
/// which writes at most once a minute, so that a signed-in page needs one more round trip only,
/// its own.
pub fn load_and_extend(
    conn: &mut PgConnection,
    key_hash: &[u8],
    now: DateTime<Utc>,
    born_after: DateTime<Utc>,
    extend_to: DateTime<Utc>,
    extend_before: DateTime<Utc>,
) -> QueryResult<Option<(serde_json::Value, Option<String>)>> {
    #[derive(QueryableByName)]
    struct Live {
        #[diesel(sql_type = Jsonb)]
        state: serde_json::Value,
        #[diesel(sql_type = Nullable<Text>)]
        who: Option<String>,
    }
    super::Prepared(
        diesel::sql_query(LOAD_AND_EXTEND.as_str())
            .bind::<Bytea, _>(key_hash)
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(born_after)
            .bind::<Timestamptz, _>(extend_to)
            .bind::<Timestamptz, _>(extend_before),
    )
    .get_result::<Live>(conn)
    .optional()
    .map(|live| live.map(|live| (live.state, live.who)))
}

/// `load_and_extend`'s statement with a page of the sharing table in it (`members::
/// SHARING_PAGES`), for the master account the session's person acts on: the one chosen in
/// the switcher (`current_account`, `42` or `42:7` as a JSON string, as actix-session keeps
/// every value) when they own it, else their first, as
/// `web::current::CurrentPerson` chooses. The page's `$1` is that account, its `$9` (today)
/// the session's `now`; the session's own times follow the page's parameters.
static LOAD_WITH_SHARING_PAGES: LazyLock<[String; 3]> = LazyLock::new(|| {
    let before = format!(
        "{}, me AS ( \
            SELECT signed.state, {WHO} AS who, ( \
                SELECT a.id FROM accounts a WHERE a.owner_id = signed.person_id \
                ORDER BY (a.id::text = split_part( \
                             btrim(signed.state->>'current_account', '\"'), ':', 1)) \
                         IS TRUE DESC, a.id \
                LIMIT 1) AS master \
            FROM signed \
        )",
        live_with(["$9", "$12", "$13", "$14"])
    );
    super::members::sharing_pages_after(
        &before,
        "(SELECT master FROM me)",
        &[
            ("(SELECT state FROM me)", "session_state"),
            ("(SELECT who FROM me)", "session_who"),
            ("(SELECT master FROM me)", "session_master"),
        ],
    )
});

/// A live session as `load_and_extend` reads it, with the page of the sharing table `query`
/// asks for, of the master account its person acts on (none when nobody is signed in, or
/// they own no account): one round trip where a signed-in page takes two otherwise (issue 20).
pub struct LiveWithPage {
    pub state: serde_json::Value,
    pub who: Option<String>,
    pub page: Option<(MasterAccountId, SharingPage)>,
}

pub fn load_with_sharing_page(
    conn: &mut PgConnection,
    key_hash: &[u8],
    now: DateTime<Utc>,
    born_after: DateTime<Utc>,
    extend_to: DateTime<Utc>,
    extend_before: DateTime<Utc>,
    query: &PeopleQuery,
) -> QueryResult<Option<LiveWithPage>> {
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct Row {
        /// The first row's: none there when no session is live.
        #[diesel(sql_type = Nullable<Jsonb>)]
        session_state: Option<serde_json::Value>,
        #[diesel(sql_type = Nullable<Text>)]
        session_who: Option<String>,
        #[diesel(sql_type = Nullable<BigInt>)]
        session_master: Option<i64>,
        #[diesel(embed)]
        page: SharingPageRow,
    }
    let mut rows: Vec<Row> = super::Prepared(
        members::bind_sharing_page!(
            diesel::sql_query(&LOAD_WITH_SHARING_PAGES[members::page_text(query)])
                .bind::<Bytea, _>(key_hash),
            query,
            now
        )
        .bind::<Timestamptz, _>(born_after)
        .bind::<Timestamptz, _>(extend_to)
        .bind::<Timestamptz, _>(extend_before),
    )
    .load(conn)?;
    let Some(first) = rows.first_mut() else {
        return Ok(None);
    };
    let Some(state) = first.session_state.take() else {
        return Ok(None);
    };
    let (who, master) = (first.session_who.take(), first.session_master);
    // A page that cannot be read here is read again by its page, which says what went wrong:
    // the session itself was read well.
    let page = master.and_then(|master| {
        let master = MasterAccountId(master);
        let rows = rows.into_iter().map(|row| row.page).collect();
        members::page_of_rows(master, rows)
            .ok()
            .map(|page| (master, page))
    });
    Ok(Some(LiveWithPage { state, who, page }))
}

/// `person_id` is whose session it is once signed in, so that all of a person's sessions can be
/// ended at once.
pub fn insert(
    conn: &mut PgConnection,
    key_hash: &[u8],
    state: &serde_json::Value,
    person_id: Option<i64>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(key_hash),
            sessions::state.eq(state),
            sessions::person_id.eq(person_id),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// Returns false when the session is gone (signed out elsewhere, or expired and swept).
pub fn update(
    conn: &mut PgConnection,
    key_hash: &[u8],
    state: &serde_json::Value,
    person_id: Option<i64>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        sessions::table
            .find(key_hash)
            .filter(sessions::expires_at.gt(now)),
    )
    .set((
        sessions::state.eq(state),
        sessions::person_id.eq(person_id),
        sessions::expires_at.eq(expires_at),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Moves a live session's idle limit out to `expires_at`, unless it was moved in the last
/// `granularity`: page views a few seconds apart then write nothing.
pub fn extend(
    conn: &mut PgConnection,
    key_hash: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    granularity: chrono::Duration,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(key_hash)
            .filter(sessions::expires_at.gt(now))
            .filter(sessions::expires_at.lt(expires_at - granularity)),
    )
    .set(sessions::expires_at.eq(expires_at))
    .execute(conn)
}

pub fn delete(conn: &mut PgConnection, key_hash: &[u8]) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(key_hash)).execute(conn)
}

/// Ends every session of a person: after a password change or reset, and "Sign out everywhere".
pub fn delete_of_person(conn: &mut PgConnection, person_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::person_id.eq(person_id))).execute(conn)
}

pub fn delete_expired(
    conn: &mut PgConnection,
    born_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::created_at.le(born_before)),
        ),
    )
    .execute(conn)
}
