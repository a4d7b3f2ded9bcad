//! Rows of `totp_authenticators` and `recovery_codes`: a person's second factor (issue 22). The
//! seed is stored sealed (`sealing`), the recovery codes as SHA-256 hashes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{people, recovery_codes, totp_authenticators};

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

/// The person's authenticator app, how many recovery codes they have left, and their
/// passkeys: My account's two-factor page in one statement.
pub fn overview(
    conn: &mut PgConnection,
    person_id: i64,
) -> QueryResult<(Option<Authenticator>, i64, Vec<super::passkeys::Listed>)> {
    use diesel::sql_types::{Array, BigInt, Bytea, Jsonb, Nullable, Timestamptz};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Nullable<Bytea>)]
        sealed_secret: Option<Vec<u8>>,
        #[diesel(sql_type = Nullable<Timestamptz>)]
        created_at: Option<DateTime<Utc>>,
        #[diesel(sql_type = Nullable<Timestamptz>)]
        confirmed_at: Option<DateTime<Utc>>,
        #[diesel(sql_type = Nullable<BigInt>)]
        last_step: Option<i64>,
        #[diesel(sql_type = BigInt)]
        codes_left: i64,
        #[diesel(sql_type = Array<Jsonb>)]
        passkeys: Vec<serde_json::Value>,
    }
    #[derive(serde::Deserialize)]
    struct ListedJson {
        id: i64,
        name: String,
        created_at: DateTime<Utc>,
        last_used_at: Option<DateTime<Utc>>,
    }
    let row = diesel::sql_query(
        "SELECT t.sealed_secret, t.created_at, t.confirmed_at, t.last_step, \
             (SELECT count(*) FROM recovery_codes r \
              WHERE r.person_id = $1 AND r.used_at IS NULL) AS codes_left, \
             ARRAY(SELECT jsonb_build_object('id', k.id, 'name', k.name, \
                          'created_at', k.created_at, 'last_used_at', k.last_used_at) \
                   FROM passkeys k WHERE k.person_id = $1 ORDER BY k.id) AS passkeys \
         FROM (SELECT) one LEFT JOIN totp_authenticators t ON t.person_id = $1",
    )
    .bind::<BigInt, _>(person_id)
    .get_result::<Row>(conn)?;
    let authenticator = match (row.sealed_secret, row.created_at, row.last_step) {
        (Some(sealed_secret), Some(created_at), Some(last_step)) => Some(Authenticator {
            sealed_secret,
            created_at,
            confirmed_at: row.confirmed_at,
            last_step,
        }),
        _ => None,
    };
    let passkeys = row
        .passkeys
        .into_iter()
        .map(|value| {
            let listed: ListedJson = serde_json::from_value(value)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
            Ok(super::passkeys::Listed {
                id: listed.id,
                name: listed.name,
                created_at: listed.created_at,
                last_used_at: listed.last_used_at,
            })
        })
        .collect::<QueryResult<Vec<_>>>()?;
    Ok((authenticator, row.codes_left, passkeys))
}

/// Whether the person must give a second factor after their password: an authenticator app
/// turned on, or a passkey.
pub fn is_on(conn: &mut PgConnection, person_id: i64) -> QueryResult<bool> {
    // Kept by triggers on both tables (migration 29).
    people::table
        .find(person_id)
        .select(people::has_second_factor)
        .first(conn)
        .optional()
        .map(|on| on.unwrap_or(false))
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

/// Removes the authenticator app; the recovery codes go with it unless a passkey remains, for
/// which they are still the way back in. False when there was none.
pub fn remove(conn: &mut PgConnection, person_id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(totp_authenticators::table.find(person_id)).execute(conn)?;
    forget_recovery_codes_if_unused(conn, person_id)?;
    Ok(removed == 1)
}

/// Deletes the recovery codes of a person left with no second factor: codes for nothing would
/// be asked for nowhere, and would come back to life with the next factor.
pub fn forget_recovery_codes_if_unused(conn: &mut PgConnection, person_id: i64) -> QueryResult<()> {
    if !is_on(conn, person_id)? {
        diesel::delete(recovery_codes::table.filter(recovery_codes::person_id.eq(person_id)))
            .execute(conn)?;
    }
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
             WHERE t.person_id = m.person_id AND t.confirmed_at IS NOT NULL) \
             AND NOT EXISTS (SELECT 1 FROM passkeys pk WHERE pk.person_id = m.person_id)) \
             AS without, \
             (EXISTS (SELECT 1 FROM totp_authenticators t \
                      WHERE t.person_id = $2 AND t.confirmed_at IS NOT NULL) \
              OR EXISTS (SELECT 1 FROM passkeys pk WHERE pk.person_id = $2)) AS owner_has_one \
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
