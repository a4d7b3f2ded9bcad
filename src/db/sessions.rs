//! Rows of `sessions`: server-side session state, keyed by the hash of the cookie's key.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::sessions;

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
    use diesel::sql_types::{Bytea, Jsonb, Nullable, Text, Timestamptz};

    #[derive(QueryableByName)]
    struct Live {
        #[diesel(sql_type = Jsonb)]
        state: serde_json::Value,
        #[diesel(sql_type = Nullable<Text>)]
        who: Option<String>,
    }
    // A data-modifying WITH runs once and to completion whether or not the outer query reads it.
    super::Prepared(
        diesel::sql_query(
            "WITH live AS ( \
             SELECT key_hash, state, expires_at FROM sessions \
             WHERE key_hash = $1 AND expires_at > $2 AND created_at > $3 \
         ), extended AS ( \
             UPDATE sessions SET expires_at = $4 FROM live \
             WHERE sessions.key_hash = live.key_hash AND live.expires_at < $5 \
         ) \
         SELECT live.state, ( \
             SELECT json_build_object('person', to_json(p), 'accounts', ( \
                 SELECT coalesce(json_agg(to_json(a) ORDER BY a.id), '[]') \
                 FROM accounts a WHERE a.owner_id = p.id))::text \
             FROM people p \
             WHERE live.state->>'person_id' ~ '^[0-9]{1,18}$' \
               AND p.id = (live.state->>'person_id')::bigint \
         ) AS who \
         FROM live",
        )
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
