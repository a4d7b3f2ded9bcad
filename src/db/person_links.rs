//! Rows of `person_links`: the pending password reset or email change of a person, one of each.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{people, person_links};

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
    now: DateTime<Utc>,
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
            person_links::created_at.eq(now),
        ))
        .execute(conn)
}

/// Stores the hash of a freshly minted token for the mail about to go to `recipient`. False, so
/// the worker sends nothing, when the request is no longer the one that mail was queued for:
/// used, ended by a change of credentials since (`generation`), a reset for an address the login
/// has left, or an email change replaced by one to another address.
pub fn set_token(
    conn: &mut PgConnection,
    person_id: i64,
    purpose: Purpose,
    recipient: &str,
    generation: i32,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    let same_credentials = people::table
        .filter(people::id.eq(person_id))
        .filter(people::credential_generation.eq(generation));
    let link = person_links::table
        .filter(person_links::person_id.eq(person_id))
        .filter(person_links::purpose.eq(purpose.code()));
    let set = (
        person_links::token_hash.eq(token_hash),
        person_links::expires_at.eq(expires_at),
    );
    let rows = match purpose {
        // A reset goes to the login's address, as it is now.
        Purpose::PasswordReset => diesel::update(link.filter(diesel::dsl::exists(
            same_credentials.filter(people::email.eq(recipient)),
        )))
        .set(set)
        .execute(conn)?,
        // An email change goes to the address it moves to, and is bound to it.
        Purpose::EmailChange => diesel::update(
            link.filter(person_links::new_email.eq(recipient))
                .filter(diesel::dsl::exists(same_credentials)),
        )
        .set(set)
        .execute(conn)?,
    };
    Ok(rows == 1)
}

/// "Forgot your password?" for `email`: starts a reset link and queues its mail when a login has
/// that address, in one statement that does the same work when none has (R22), so the answer
/// takes as long either way. The message is `mail::Mail::PasswordReset` as serde writes it.
pub fn request_reset(
    conn: &mut PgConnection,
    email: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "WITH person AS ( \
           SELECT id, email, display_name, credential_generation, coalesce(locale, 'en') AS locale \
           FROM people WHERE email = $1), \
         link AS ( \
           INSERT INTO person_links (person_id, purpose, created_at) \
           SELECT id, 'password_reset', $2 FROM person \
           ON CONFLICT (person_id, purpose) DO UPDATE SET new_email = NULL, token_hash = NULL, \
             expires_at = NULL, created_at = EXCLUDED.created_at \
           RETURNING person_id) \
         INSERT INTO outbox (recipient, message, locale, next_attempt_at, created_at) \
         SELECT p.email, jsonb_build_object('kind', 'password_reset', 'person_id', p.id, \
                  'name', p.display_name, 'generation', p.credential_generation), \
                p.locale, $2, $2 \
         FROM person p JOIN link l ON l.person_id = p.id",
    )
    .bind::<diesel::sql_types::Text, _>(email)
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .execute(conn)
}

/// The person and new address of a live link, without using it up.
pub fn find_live(
    conn: &mut PgConnection,
    purpose: Purpose,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<(i64, Option<String>)>> {
    person_links::table
        .filter(person_links::purpose.eq(purpose.code()))
        .filter(person_links::token_hash.eq(token_hash))
        .filter(person_links::expires_at.gt(now))
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
    now: DateTime<Utc>,
) -> QueryResult<Option<(i64, Option<String>)>> {
    diesel::delete(
        person_links::table
            .filter(person_links::purpose.eq(purpose.code()))
            .filter(person_links::token_hash.eq(token_hash))
            .filter(person_links::expires_at.gt(now)),
    )
    .returning((person_links::person_id, person_links::new_email))
    .get_result(conn)
    .optional()
}
