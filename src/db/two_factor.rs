//! Rows of `totp_authenticators` and `recovery_codes`: a person's second factor (issue 22). The
//! seed is stored sealed (`sealing`), the recovery codes as SHA-256 hashes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{recovery_codes, totp_authenticators};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = totp_authenticators)]
pub struct Authenticator {
    pub sealed_secret: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_step: i64,
}

pub fn find(conn: &mut PgConnection, person_id: i64) -> QueryResult<Option<Authenticator>> {
    totp_authenticators::table
        .find(person_id)
        .select(Authenticator::as_select())
        .first(conn)
        .optional()
}

/// The person's authenticator with how many recovery codes they have left: My account's
/// two-factor page in one statement.
pub fn find_with_codes_left(
    conn: &mut PgConnection,
    person_id: i64,
) -> QueryResult<Option<(Authenticator, i64)>> {
    let left = recovery_codes::table
        .filter(recovery_codes::person_id.eq(person_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .single_value()
        .assume_not_null();
    totp_authenticators::table
        .find(person_id)
        .select((Authenticator::as_select(), left))
        .first(conn)
        .optional()
}

/// Whether the person must give a second factor after their password.
pub fn is_on(conn: &mut PgConnection, person_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        totp_authenticators::table
            .find(person_id)
            .filter(totp_authenticators::confirmed_at.is_not_null()),
    ))
    .get_result(conn)
}

/// Starts setting one up, or starts again with a new seed: false when one is already on, which
/// only turning it off replaces.
pub fn begin(
    conn: &mut PgConnection,
    person_id: i64,
    sealed_secret: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    use diesel::sql_types::{Bytea, Int8, Timestamptz};
    // Diesel's upsert has no WHERE on its DO UPDATE: the one statement is written out.
    diesel::sql_query(
        "INSERT INTO totp_authenticators (person_id, sealed_secret, created_at) \
         VALUES ($1, $2, $3) \
         ON CONFLICT (person_id) DO UPDATE \
         SET sealed_secret = EXCLUDED.sealed_secret, created_at = EXCLUDED.created_at, \
             last_step = 0 \
         WHERE totp_authenticators.confirmed_at IS NULL",
    )
    .bind::<Int8, _>(person_id)
    .bind::<Bytea, _>(sealed_secret)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Turns on the authenticator being set up, with the step of the code that proved it; its
/// recovery codes replace any earlier ones. False when there is none being set up (it was
/// confirmed meanwhile, from another tab).
pub fn confirm(
    conn: &mut PgConnection,
    person_id: i64,
    step: i64,
    recovery_code_hashes: &[Vec<u8>],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let confirmed = diesel::update(
        totp_authenticators::table
            .find(person_id)
            .filter(totp_authenticators::confirmed_at.is_null()),
    )
    .set((
        totp_authenticators::confirmed_at.eq(now),
        totp_authenticators::last_step.eq(step),
    ))
    .execute(conn)?;
    if confirmed == 1 {
        replace_recovery_codes(conn, person_id, recovery_code_hashes)?;
    }
    Ok(confirmed == 1)
}

/// Records that a code of `step` was used, if it is newer than the last: of two tries racing
/// with the same code, one updates the row and the other finds nothing to update.
pub fn use_step(conn: &mut PgConnection, person_id: i64, step: i64) -> QueryResult<bool> {
    diesel::update(
        totp_authenticators::table
            .find(person_id)
            .filter(totp_authenticators::confirmed_at.is_not_null())
            .filter(totp_authenticators::last_step.lt(step)),
    )
    .set(totp_authenticators::last_step.eq(step))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Uses up one recovery code: false when it is not the person's, or was used already.
pub fn use_recovery_code(
    conn: &mut PgConnection,
    person_id: i64,
    code_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        recovery_codes::table
            .find((person_id, code_hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(now))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn replace_recovery_codes(
    conn: &mut PgConnection,
    person_id: i64,
    hashes: &[Vec<u8>],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::person_id.eq(person_id)))
        .execute(conn)?;
    let rows: Vec<_> = hashes
        .iter()
        .map(|hash| {
            (
                recovery_codes::person_id.eq(person_id),
                recovery_codes::code_hash.eq(hash),
            )
        })
        .collect();
    diesel::insert_into(recovery_codes::table)
        .values(&rows)
        .execute(conn)
        .map(drop)
}

/// Turns two-factor authentication off: the authenticator and every recovery code go.
pub fn remove(conn: &mut PgConnection, person_id: i64) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::person_id.eq(person_id)))
        .execute(conn)?;
    diesel::delete(totp_authenticators::table.find(person_id)).execute(conn)?;
    Ok(())
}

/// Of the people who accepted an access to the master account, how many there are and how many
/// have no second factor turned on, and whether `owner_id` has one: the owner's requirement
/// page in one statement.
pub fn members_without(
    conn: &mut PgConnection,
    master_account_id: i64,
    owner_id: i64,
) -> QueryResult<(i64, i64, bool)> {
    #[derive(QueryableByName)]
    struct Counts {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        members: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        without: i64,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        owner_has_one: bool,
    }
    diesel::sql_query(
        "SELECT count(*) AS members, count(*) FILTER (WHERE NOT EXISTS ( \
             SELECT 1 FROM totp_authenticators t \
             WHERE t.person_id = m.person_id AND t.confirmed_at IS NOT NULL)) AS without, \
             EXISTS (SELECT 1 FROM totp_authenticators t \
                     WHERE t.person_id = $2 AND t.confirmed_at IS NOT NULL) AS owner_has_one \
         FROM members m WHERE m.master_account_id = $1 AND m.accepted_at IS NOT NULL",
    )
    .bind::<diesel::sql_types::BigInt, _>(master_account_id)
    .bind::<diesel::sql_types::BigInt, _>(owner_id)
    .get_result::<Counts>(conn)
    .map(|counts| (counts.members, counts.without, counts.owner_has_one))
}

/// Requires a second factor of everyone with access to the master account, or stops: false when
/// it already stood as asked, so that only a change is recorded.
pub fn set_requirement(
    conn: &mut PgConnection,
    master_account_id: i64,
    required: bool,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    use super::schema::accounts;
    let account = accounts::table.find(master_account_id);
    let changed = if required {
        diesel::update(account.filter(accounts::require_two_factor_since.is_null()))
            .set(accounts::require_two_factor_since.eq(now))
            .execute(conn)?
    } else {
        diesel::update(account.filter(accounts::require_two_factor_since.is_not_null()))
            .set(accounts::require_two_factor_since.eq(None::<DateTime<Utc>>))
            .execute(conn)?
    };
    Ok(changed == 1)
}
