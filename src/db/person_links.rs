//! Rows of `person_links`: the pending password reset or email change of a person, one of each.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::person_links;

/// What a link is for; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    PasswordReset,
    EmailChange,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailChange => "email_change",
        }
    }
}

/// Starts (or restarts) a link of this purpose, retiring any earlier one at once; the link itself
/// is minted when the mail is sent. `new_email` is the address an email change moves to.
pub fn upsert_pending(
    conn: &mut PgConnection,
    person_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
) -> QueryResult<usize> {
    diesel::insert_into(person_links::table)
        .values((
            person_links::person_id.eq(person_id),
            person_links::purpose.eq(purpose.code()),
            person_links::new_email.eq(new_email),
        ))
        .on_conflict((person_links::person_id, person_links::purpose))
        .do_update()
        .set((
            person_links::new_email.eq(new_email),
            person_links::token_hash.eq(None::<Vec<u8>>),
            person_links::expires_at.eq(None::<DateTime<Utc>>),
            person_links::created_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
}

/// Stores the hash of a freshly minted token; false when nothing is pending any more (used, or
/// replaced by a newer request whose mail will carry its own link), so the worker sends nothing.
pub fn set_token(
    conn: &mut PgConnection,
    person_id: i64,
    purpose: Purpose,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        person_links::table
            .filter(person_links::person_id.eq(person_id))
            .filter(person_links::purpose.eq(purpose.code())),
    )
    .set((
        person_links::token_hash.eq(token_hash),
        person_links::expires_at.eq(expires_at),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The person and new address of a live link, without using it up.
pub fn find_live(
    conn: &mut PgConnection,
    purpose: Purpose,
    token_hash: &[u8],
) -> QueryResult<Option<(i64, Option<String>)>> {
    person_links::table
        .filter(person_links::purpose.eq(purpose.code()))
        .filter(person_links::token_hash.eq(token_hash))
        .filter(person_links::expires_at.gt(diesel::dsl::now))
        .select((person_links::person_id, person_links::new_email))
        .first(conn)
        .optional()
}

/// Uses a live link up in one statement, so it works once however many try at once (R4); returns
/// whose it was and the new address of an email change.
pub fn consume(
    conn: &mut PgConnection,
    purpose: Purpose,
    token_hash: &[u8],
) -> QueryResult<Option<(i64, Option<String>)>> {
    diesel::delete(
        person_links::table
            .filter(person_links::purpose.eq(purpose.code()))
            .filter(person_links::token_hash.eq(token_hash))
            .filter(person_links::expires_at.gt(diesel::dsl::now)),
    )
    .returning((person_links::person_id, person_links::new_email))
    .get_result(conn)
    .optional()
}
