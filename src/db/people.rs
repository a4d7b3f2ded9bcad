//! Rows of `people`: logins.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{
    accounts::Account,
    schema::{accounts, email_verifications, people, person_links},
};
use crate::domain::ids::PersonId;

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The language they chose: their pages' and their mail's. `None` until they choose.
    pub locale: Option<String>,
    pub notify_accepted: bool,
    pub notify_declined: bool,
    pub notify_access_changed: bool,
    pub notify_access_removed: bool,
    /// Bumped by each change of password or address and each "Sign out everywhere": a link
    /// queued under an earlier generation is never minted (`end_links`).
    pub credential_generation: i32,
}

/// The notification mails a person wants (My account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = people)]
pub struct Notifications {
    pub notify_accepted: bool,
    pub notify_declined: bool,
    pub notify_access_changed: bool,
    pub notify_access_removed: bool,
}

/// For the seed: its made-up owners are not told of the acceptances it makes.
pub fn set_notified_of_acceptances(
    conn: &mut PgConnection,
    id: i64,
    on: bool,
) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(people::notify_accepted.eq(on))
        .execute(conn)
}

pub fn set_notifications(
    conn: &mut PgConnection,
    id: i64,
    notifications: &Notifications,
) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(notifications)
        .execute(conn)
}

impl Person {
    pub fn person_id(&self) -> PersonId {
        PersonId(self.id)
    }
}

#[derive(Insertable)]
#[diesel(table_name = people)]
pub struct NewPerson<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Option<&'a str>,
}

pub fn find_by_id(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Person>> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()
}

/// The person and the master account they own, if any, in one statement.
/// The person and the master account they act as owner of: `preferred` when they own it (the
/// account chosen in the switcher), else the first they came to own; `None` for an access-only
/// login. One statement.
pub fn find_with_account(
    conn: &mut PgConnection,
    id: PersonId,
    preferred: Option<i64>,
) -> QueryResult<Option<(Person, Option<Account>)>> {
    people::table
        .left_join(accounts::table.on(accounts::owner_id.eq(people::id)))
        .filter(people::id.eq(id.0))
        .order((
            accounts::id.nullable().eq(preferred).desc(),
            accounts::id.nullable().asc(),
        ))
        .select((Person::as_select(), Option::<Account>::as_select()))
        .first(conn)
        .optional()
}

pub fn find_by_email(
    conn: &mut PgConnection,
    canonical_email: &str,
) -> QueryResult<Option<Person>> {
    people::table
        .filter(people::email.eq(canonical_email))
        .select(Person::as_select())
        .first(conn)
        .optional()
}

/// Inserts unless the address is taken, in which case `None`: the unique index decides, so two
/// sign-ups racing for one address cannot both win.
pub fn insert_if_new(conn: &mut PgConnection, person: &NewPerson) -> QueryResult<Option<Person>> {
    diesel::insert_into(people::table)
        .values(person)
        .on_conflict_do_nothing()
        .returning(Person::as_returning())
        .get_result(conn)
        .optional()
}

/// Returns the language the person chose, if any.
pub fn record_sign_in(
    conn: &mut PgConnection,
    id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<String>> {
    diesel::update(people::table.find(id))
        .set(people::last_sign_in_at.eq(now))
        .returning(people::locale)
        .get_result(conn)
}

/// Keeps the language a person chose, for their pages on any device and their mail.
pub fn set_locale(conn: &mut PgConnection, id: i64, locale: &str) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(people::locale.eq(locale))
        .execute(conn)
}

/// The language the login with this address chose, if there is one and it chose.
pub fn locale_of_address(conn: &mut PgConnection, email: &str) -> QueryResult<Option<String>> {
    Ok(people::table
        .filter(people::email.eq(email))
        .select(people::locale)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Keeps `locale` as the person's language unless they already chose one.
pub fn set_locale_if_unset(conn: &mut PgConnection, id: i64, locale: &str) -> QueryResult<usize> {
    diesel::update(people::table.find(id).filter(people::locale.is_null()))
        .set(people::locale.eq(locale))
        .execute(conn)
}

/// The address is proven (by a verification link, a reset link or an accepted invitation): any
/// other verification link it was sent is dead from now on.
pub fn mark_verified(conn: &mut PgConnection, id: i64, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(email_verifications::table.find(id)).execute(conn)?;
    diesel::update(
        people::table
            .find(id)
            .filter(people::email_verified_at.is_null()),
    )
    .set(people::email_verified_at.eq(now))
    .execute(conn)
}

/// Which generation of credentials the person is on: `end_links` moves it on.
pub fn credential_generation(conn: &mut PgConnection, id: i64) -> QueryResult<i32> {
    people::table
        .find(id)
        .select(people::credential_generation)
        .first(conn)
}

/// Ends every one-time link of the person: live reset, email-change and verification links are
/// deleted, and a new credential generation keeps any still queued from being minted. Called in
/// the transaction that changes the password or the address, or signs out everywhere.
pub fn end_links(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::update(people::table.find(id))
        .set(people::credential_generation.eq(people::credential_generation + 1))
        .execute(conn)?;
    diesel::delete(person_links::table.filter(person_links::person_id.eq(id))).execute(conn)?;
    diesel::delete(email_verifications::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn set_display_name(conn: &mut PgConnection, id: i64, name: &str) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(people::display_name.eq(name))
        .execute(conn)
}

pub fn set_password(conn: &mut PgConnection, id: i64, password_hash: &str) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(people::password_hash.eq(password_hash))
        .execute(conn)
}

/// Moves the login to a new address, verified by the link that brought it; false when another
/// login took the address meanwhile (the unique index decides).
pub fn set_email(
    conn: &mut PgConnection,
    id: i64,
    canonical_email: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let moved = diesel::update(people::table.find(id))
        .set((
            people::email.eq(canonical_email),
            people::email_verified_at.eq(now),
        ))
        .execute(conn);
    match moved {
        Ok(rows) => Ok(rows == 1),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sign-ups never verified since `created_before`, oldest first.
pub fn never_verified(
    conn: &mut PgConnection,
    created_before: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    people::table
        .filter(people::email_verified_at.is_null())
        .filter(people::created_at.lt(created_before))
        .order(people::id)
        .select(people::id)
        .load(conn)
}

/// Deletes one sign-up still unverified, with its accounts: the address is free to sign up
/// again, or to accept an invitation.
pub fn delete_unverified(conn: &mut PgConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(
        people::table
            .find(id)
            .filter(people::email_verified_at.is_null()),
    )
    .execute(conn)
}

/// Locks the person's row until the transaction ends: what one person does one at a time
/// (making tokens, under a cap) waits here.
pub fn lock(conn: &mut PgConnection, id: PersonId) -> QueryResult<()> {
    people::table
        .find(id.0)
        .select(people::id)
        .for_update()
        .first::<i64>(conn)
        .map(drop)
}
