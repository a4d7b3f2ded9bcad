//! Rows of `personal_tokens` and `api_idempotency`: a person's tokens for the members API
//! (INTEGRATION.md S16, S17) and what their POSTs answered under an `Idempotency-Key`. Only each
//! token's hash is stored.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use ipnet::IpNet;

use super::{
    accounts::Account,
    people::Person,
    schema::{
        accounts, api_idempotency, members, passkeys, people, personal_tokens, totp_authenticators,
    },
};

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = personal_tokens)]
pub struct PersonalToken {
    pub id: i64,
    pub person_id: i64,
    pub master_account_id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<IpNet>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = personal_tokens)]
pub struct NewToken<'a> {
    pub person_id: i64,
    pub master_account_id: i64,
    pub member_id: Option<i64>,
    pub name: &'a str,
    pub scopes: Vec<String>,
    pub token_hash: &'a [u8],
    pub hint: &'a str,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, token: &NewToken) -> QueryResult<PersonalToken> {
    diesel::insert_into(personal_tokens::table)
        .values(token)
        .returning(PersonalToken::as_returning())
        .get_result(conn)
}

/// A token with the email of its account's owner.
pub type Listed = (PersonalToken, String);

/// A token of the person's, with the email of the account's owner, newest first: live ones and
/// those revoked or expired, so the person sees what each was. At most 200.
pub fn of_person(conn: &mut PgConnection, person_id: i64) -> QueryResult<Vec<Listed>> {
    personal_tokens::table
        .inner_join(accounts::table.on(accounts::id.eq(personal_tokens::master_account_id)))
        .inner_join(people::table.on(people::id.eq(accounts::owner_id)))
        .filter(personal_tokens::person_id.eq(person_id))
        .order(personal_tokens::id.desc())
        .limit(200)
        .select((PersonalToken::as_select(), people::email))
        .load(conn)
}

/// The API tokens page's two lists in one statement: the person's tokens as `of_person` reads
/// them, and every account they reach as `members::reachable` does.
pub fn of_person_with_accounts(
    conn: &mut PgConnection,
    person_id: i64,
    today: NaiveDate,
) -> QueryResult<(Vec<Listed>, Vec<super::members::ReachableRow>)> {
    use diesel::sql_types::{BigInt, Date, Nullable, Text};

    #[derive(QueryableByName)]
    struct Lists {
        #[diesel(sql_type = Text)]
        tokens: String,
        #[diesel(sql_type = Text)]
        accounts: String,
    }
    #[derive(serde::Deserialize)]
    struct Token {
        #[serde(flatten)]
        token: PersonalToken,
        owner_email: String,
    }
    let lists: Lists = super::Prepared(
        diesel::sql_query(concat!(
            "SELECT (SELECT coalesce(json_agg(t), '[]') FROM ( \
                 SELECT t.id, t.person_id, t.master_account_id, t.name, t.scopes, t.hint, \
                        t.created_at, t.expires_at, t.last_used_at, \
                        t.last_used_ip::text AS last_used_ip, t.revoked_at, o.email AS owner_email \
                 FROM personal_tokens t \
                 JOIN accounts a ON a.id = t.master_account_id \
                 JOIN people o ON o.id = a.owner_id \
                 WHERE t.person_id = $1 ORDER BY t.id DESC LIMIT 200 \
             ) t)::text AS tokens, \
             (SELECT coalesce(json_agg(r), '[]') FROM (",
            super::members::reachable_sql!(),
            ") r)::text AS accounts"
        ))
        .bind::<BigInt, _>(person_id)
        .bind::<Nullable<BigInt>, _>(None::<i64>)
        .bind::<Date, _>(today),
    )
    .get_result(conn)?;
    let tokens: Vec<Token> = super::from_json(&lists.tokens)?;
    Ok((
        tokens
            .into_iter()
            .map(|listed| (listed.token, listed.owner_email))
            .collect(),
        super::from_json(&lists.accounts)?,
    ))
}

/// The person's tokens not revoked and not expired.
pub fn live_count(conn: &mut PgConnection, person_id: i64, now: DateTime<Utc>) -> QueryResult<i64> {
    personal_tokens::table
        .filter(personal_tokens::person_id.eq(person_id))
        .filter(personal_tokens::revoked_at.is_null())
        .filter(
            personal_tokens::expires_at
                .is_null()
                .or(personal_tokens::expires_at.gt(now)),
        )
        .count()
        .get_result(conn)
}

/// Revokes the person's live token `id`; whether there was one.
pub fn revoke(
    conn: &mut PgConnection,
    person_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        personal_tokens::table
            .filter(personal_tokens::id.eq(id))
            .filter(personal_tokens::person_id.eq(person_id))
            .filter(personal_tokens::revoked_at.is_null()),
    )
    .set(personal_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|n| n > 0)
}

/// Who a presented token acts for, as of now.
pub struct Holder {
    pub token: PersonalToken,
    pub person: Person,
    pub account: Account,
    /// Whether the person owns the token's account (else they hold an access to it).
    pub owns: bool,
}

/// The live token with this hash, in one statement: not revoked, not expired, and its person
/// still owns the account or still holds an accepted access to it that has not ended. (Delete
/// access and the sweep of ended accesses delete the member row, and the token with it.)
pub fn holder(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<Holder>> {
    let today: NaiveDate = now.date_naive();
    let owns = accounts::owner_id.eq(personal_tokens::person_id);
    personal_tokens::table
        .inner_join(people::table.on(people::id.eq(personal_tokens::person_id)))
        .inner_join(accounts::table.on(accounts::id.eq(personal_tokens::master_account_id)))
        .left_join(members::table.on(members::id.nullable().eq(personal_tokens::member_id)))
        .filter(personal_tokens::token_hash.eq(token_hash))
        .filter(personal_tokens::revoked_at.is_null())
        .filter(
            personal_tokens::expires_at
                .is_null()
                .or(personal_tokens::expires_at.gt(now)),
        )
        .filter(
            owns.or(members::accepted_at.is_not_null().and(
                members::access_ends_on
                    .is_null()
                    .or(members::access_ends_on.ge(today)),
            )),
        )
        // Where the owner requires a second factor, a token of someone without one does
        // nothing, as their pages do nothing (issue 22).
        .filter(
            owns.or(accounts::require_two_factor_since.is_null())
                .or(diesel::dsl::exists(
                    totp_authenticators::table
                        .filter(totp_authenticators::person_id.eq(personal_tokens::person_id))
                        .filter(totp_authenticators::confirmed_at.is_not_null()),
                ))
                .or(diesel::dsl::exists(
                    passkeys::table.filter(passkeys::person_id.eq(personal_tokens::person_id)),
                )),
        )
        .select((
            PersonalToken::as_select(),
            Person::as_select(),
            Account::as_select(),
            owns,
        ))
        .first::<(PersonalToken, Person, Account, bool)>(conn)
        .optional()
        .map(|found| {
            found.map(|(token, person, account, owns)| Holder {
                token,
                person,
                account,
                owns,
            })
        })
}

/// Notes when and from where the token was last used, at most once a minute.
pub fn touch(
    conn: &mut PgConnection,
    id: i64,
    ip: Option<IpNet>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        personal_tokens::table
            .filter(personal_tokens::id.eq(id))
            .filter(
                personal_tokens::last_used_at
                    .is_null()
                    .or(personal_tokens::last_used_at.lt(now - chrono::Duration::minutes(1))),
            ),
    )
    .set((
        personal_tokens::last_used_at.eq(now),
        personal_tokens::last_used_ip.eq(ip),
    ))
    .execute(conn)
    .map(drop)
}

/// What an idempotent POST found under its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: the request goes ahead and its answer is to be kept.
    Claimed,
    /// The key answered before: that answer, and the hash of the request it answered.
    Answered {
        request_hash: Vec<u8>,
        status: i32,
        body: String,
    },
    /// A request with this key is under way.
    UnderWay { request_hash: Vec<u8> },
}

/// Claims `key` for the token, in one statement when the key is new. A claim left unanswered for
/// `abandoned_after` (its request died with its process) is taken over.
pub fn claim(
    conn: &mut PgConnection,
    token_id: i64,
    key: &str,
    request_hash: &[u8],
    now: DateTime<Utc>,
    abandoned_after: chrono::Duration,
) -> QueryResult<Claim> {
    use diesel::sql_types::{Bytea, Int8, Interval, Text, Timestamptz};
    // Taken over only when the earlier claim is abandoned or more than a day old.
    let taken = diesel::sql_query(
        "INSERT INTO api_idempotency (token_id, key, request_hash, created_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (token_id, key) DO UPDATE \
            SET request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at, \
                status = NULL, body = NULL \
          WHERE (api_idempotency.status IS NULL AND api_idempotency.created_at < $4 - $5) \
             OR api_idempotency.created_at < $4 - interval '24 hours'",
    )
    .bind::<Int8, _>(token_id)
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(request_hash)
    .bind::<Timestamptz, _>(now)
    .bind::<Interval, _>(diesel::data_types::PgInterval::from_microseconds(
        abandoned_after.num_microseconds().unwrap_or(i64::MAX),
    ))
    .execute(conn)?;
    if taken > 0 {
        return Ok(Claim::Claimed);
    }
    let (request_hash, status, body) = api_idempotency::table
        .find((token_id, key))
        .select((
            api_idempotency::request_hash,
            api_idempotency::status,
            api_idempotency::body,
        ))
        .first::<(Vec<u8>, Option<i32>, Option<String>)>(conn)?;
    Ok(match (status, body) {
        (Some(status), Some(body)) => Claim::Answered {
            request_hash,
            status,
            body,
        },
        _ => Claim::UnderWay { request_hash },
    })
}

/// Keeps the answer of a claimed key.
pub fn answer(
    conn: &mut PgConnection,
    token_id: i64,
    key: &str,
    status: i32,
    body: &str,
) -> QueryResult<()> {
    diesel::update(api_idempotency::table.find((token_id, key)))
        .set((
            api_idempotency::status.eq(status),
            api_idempotency::body.eq(body),
        ))
        .execute(conn)
        .map(drop)
}

/// Gives a claimed key back, for a request that failed on our side: a retry may go ahead.
pub fn release(conn: &mut PgConnection, token_id: i64, key: &str) -> QueryResult<()> {
    diesel::delete(
        api_idempotency::table
            .find((token_id, key))
            .filter(api_idempotency::status.is_null()),
    )
    .execute(conn)
    .map(drop)
}

/// Forgets answers older than a day: the housekeeping's.
pub fn forget_before(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(api_idempotency::table.filter(api_idempotency::created_at.lt(before)))
        .execute(conn)
}
