//! Rows of `passkeys`: a person's WebAuthn credentials (issue 22). Only public keys: the JSON
//! column is webauthn-rs's own serialisation of one, which the service never looks inside.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{passkeys, people};

/// A passkey as My account lists it (`two_factor::overview` reads the list with the rest of
/// the page).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = passkeys)]
pub struct Listed {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A passkey as a ceremony needs it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = passkeys)]
pub struct Stored {
    pub id: i64,
    pub person_id: i64,
    pub user_handle: Vec<u8>,
    pub passkey: serde_json::Value,
}

pub fn find(conn: &mut PgConnection, person_id: i64, id: i64) -> QueryResult<Option<Listed>> {
    passkeys::table
        .find(id)
        .filter(passkeys::person_id.eq(person_id))
        .select(Listed::as_select())
        .first(conn)
        .optional()
}

/// Every passkey of the person, for a ceremony that offers them all.
pub fn stored_of(conn: &mut PgConnection, person_id: i64) -> QueryResult<Vec<Stored>> {
    passkeys::table
        .filter(passkeys::person_id.eq(person_id))
        .order(passkeys::id)
        .select(Stored::as_select())
        .load(conn)
}

/// The passkey with this credential id, whoever's it is.
pub fn by_credential(conn: &mut PgConnection, credential_id: &[u8]) -> QueryResult<Option<Stored>> {
    passkeys::table
        .filter(passkeys::credential_id.eq(credential_id))
        .select(Stored::as_select())
        .first(conn)
        .optional()
}

/// The person's user handle, if they have a passkey already.
pub fn user_handle(conn: &mut PgConnection, person_id: i64) -> QueryResult<Option<Vec<u8>>> {
    passkeys::table
        .filter(passkeys::person_id.eq(person_id))
        .select(passkeys::user_handle)
        .first(conn)
        .optional()
}

/// Locks the person's row, so that two registrations finishing at once count each other's
/// passkey against the limit; gives how many they have.
pub fn lock_and_count(conn: &mut PgConnection, person_id: i64) -> QueryResult<i64> {
    people::table
        .find(person_id)
        .select(people::id)
        .for_update()
        .first::<i64>(conn)?;
    passkeys::table
        .filter(passkeys::person_id.eq(person_id))
        .count()
        .get_result(conn)
}

pub struct NewPasskey<'a> {
    pub person_id: i64,
    pub user_handle: &'a [u8],
    pub credential_id: &'a [u8],
    pub name: &'a str,
    pub passkey: serde_json::Value,
    pub now: DateTime<Utc>,
}

/// Stores a passkey; false when that credential is registered already (to anyone).
pub fn insert(conn: &mut PgConnection, new: NewPasskey) -> QueryResult<bool> {
    diesel::insert_into(passkeys::table)
        .values((
            passkeys::person_id.eq(new.person_id),
            passkeys::user_handle.eq(new.user_handle),
            passkeys::credential_id.eq(new.credential_id),
            passkeys::name.eq(new.name),
            passkeys::passkey.eq(new.passkey),
            passkeys::created_at.eq(new.now),
        ))
        .on_conflict(passkeys::credential_id)
        .do_nothing()
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Records a use, with the passkey as it now stands (its signature counter moved on).
pub fn record_use(
    conn: &mut PgConnection,
    id: i64,
    passkey: serde_json::Value,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(passkeys::table.find(id))
        .set((
            passkeys::passkey.eq(passkey),
            passkeys::last_used_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes one of the person's passkeys: false when it is not theirs, or gone already.
pub fn remove(conn: &mut PgConnection, person_id: i64, id: i64) -> QueryResult<bool> {
    diesel::delete(
        passkeys::table
            .find(id)
            .filter(passkeys::person_id.eq(person_id)),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}
