//! Rows of `email_verifications`: one pending verification link per person.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{email_verifications, people};

/// Starts (or restarts) a verification; the link itself is minted when the mail is sent.
pub fn upsert_pending(conn: &mut PgConnection, person_id: i64) -> QueryResult<usize> {
    diesel::insert_into(email_verifications::table)
        .values(email_verifications::person_id.eq(person_id))
        .on_conflict_do_nothing()
        .execute(conn)
}

/// Stores the hash of a freshly minted token, replacing any earlier link. Returns false, so the
/// worker sends nothing, unless the person still awaits verification of the very address the
/// mail goes to, under the credentials it was queued with (`generation`).
pub fn set_token(
    conn: &mut PgConnection,
    person_id: i64,
    recipient: &str,
    generation: i32,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    let still_wanted = people::table
        .filter(people::id.eq(person_id))
        .filter(people::email.eq(recipient))
        .filter(people::credential_generation.eq(generation))
        .filter(people::email_verified_at.is_null());
    diesel::update(
        email_verifications::table
            .find(person_id)
            .filter(diesel::dsl::exists(still_wanted)),
    )
    .set((
        email_verifications::token_hash.eq(token_hash),
        email_verifications::expires_at.eq(expires_at),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Whether a token is a live verification link, without using it up.
pub fn is_live(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        email_verifications::table
            .filter(email_verifications::token_hash.eq(token_hash))
            .filter(email_verifications::expires_at.gt(now)),
    ))
    .get_result(conn)
}

/// Consumes a live token: deletes the row only if the hash matches and has not expired, and
/// returns whose it was. Single use by construction (R4).
pub fn consume(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    diesel::delete(
        email_verifications::table
            .filter(email_verifications::token_hash.eq(token_hash))
            .filter(email_verifications::expires_at.gt(now)),
    )
    .returning(email_verifications::person_id)
    .get_result(conn)
    .optional()
}
