//! Rows of single sign-on (issue 22): an owner's OpenID Connect provider and the email domains
//! the owner claimed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{accounts, sso_connections, sso_domains};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_connections)]
pub struct Connection {
    pub master_account_id: i64,
    pub issuer: String,
    pub client_id: String,
    pub sealed_secret: Vec<u8>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = sso_domains)]
pub struct Domain {
    pub master_account_id: i64,
    pub domain: String,
    pub proof_address: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub fn connection(conn: &mut PgConnection, master: i64) -> QueryResult<Option<Connection>> {
    sso_connections::table
        .find(master)
        .select(Connection::as_select())
        .first(conn)
        .optional()
}

pub fn save_connection(
    conn: &mut PgConnection,
    master: i64,
    issuer: &str,
    client_id: &str,
    sealed_secret: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(sso_connections::table)
        .values((
            sso_connections::master_account_id.eq(master),
            sso_connections::issuer.eq(issuer),
            sso_connections::client_id.eq(client_id),
            sso_connections::sealed_secret.eq(sealed_secret),
            sso_connections::updated_at.eq(now),
        ))
        .on_conflict(sso_connections::master_account_id)
        .do_update()
        .set((
            sso_connections::issuer.eq(issuer),
            sso_connections::client_id.eq(client_id),
            sso_connections::sealed_secret.eq(sealed_secret),
            sso_connections::updated_at.eq(now),
        ))
        .execute(conn)
}

/// What the single sign-on page shows, in one statement: the provider and the domains.
#[derive(Debug, QueryableByName)]
pub struct Overview {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub issuer: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub client_id: Option<String>,
    /// The domains by name, as `Domain`s.
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub domains: serde_json::Value,
}

pub fn overview(conn: &mut PgConnection, master: i64) -> QueryResult<Overview> {
    diesel::sql_query(
        "SELECT c.issuer, c.client_id, \
            COALESCE((SELECT jsonb_agg(to_jsonb(d) - 'token_hash' ORDER BY d.domain) \
                      FROM sso_domains d WHERE d.master_account_id = $1), '[]') AS domains \
         FROM (SELECT $1::int8 AS id) a \
         LEFT JOIN sso_connections c ON c.master_account_id = a.id",
    )
    .bind::<diesel::sql_types::Int8, _>(master)
    .get_result(conn)
}

/// The account's domains, by name.
pub fn domains(conn: &mut PgConnection, master: i64) -> QueryResult<Vec<Domain>> {
    sso_domains::table
        .filter(sso_domains::master_account_id.eq(master))
        .order(sso_domains::domain)
        .select(Domain::as_select())
        .load(conn)
}

/// A claim of `domain`, proven by mail to `proof_address`; a claim made again starts over.
pub fn claim(
    conn: &mut PgConnection,
    master: i64,
    domain: &str,
    proof_address: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(sso_domains::table)
        .values((
            sso_domains::master_account_id.eq(master),
            sso_domains::domain.eq(domain),
            sso_domains::proof_address.eq(proof_address),
            sso_domains::created_at.eq(now),
        ))
        .on_conflict((sso_domains::master_account_id, sso_domains::domain))
        .do_update()
        .set((
            sso_domains::proof_address.eq(proof_address),
            sso_domains::token_hash.eq(None::<Vec<u8>>),
            sso_domains::expires_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
}

/// The mail worker's half: the link about to be sent. Whether the claim still waits for it (not
/// proven, still to this address).
pub fn set_token(
    conn: &mut PgConnection,
    master: i64,
    domain: &str,
    recipient: &str,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        sso_domains::table
            .filter(sso_domains::master_account_id.eq(master))
            .filter(sso_domains::domain.eq(domain))
            .filter(sso_domains::proof_address.eq(recipient))
            .filter(sso_domains::verified_at.is_null()),
    )
    .set((
        sso_domains::token_hash.eq(token_hash),
        sso_domains::expires_at.eq(expires_at),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

/// The live claim a link stands for.
pub fn claim_of_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<Domain>> {
    sso_domains::table
        .filter(sso_domains::token_hash.eq(token_hash))
        .filter(sso_domains::expires_at.gt(now))
        .filter(sso_domains::verified_at.is_null())
        .select(Domain::as_select())
        .first(conn)
        .optional()
}

/// Marks the claim proven and spends its link; `false` when another owner proved the domain
/// first.
pub fn prove(
    conn: &mut PgConnection,
    master: i64,
    domain: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let taken: i64 = sso_domains::table
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::verified_at.is_not_null())
        .filter(sso_domains::master_account_id.ne(master))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    diesel::update(
        sso_domains::table
            .filter(sso_domains::master_account_id.eq(master))
            .filter(sso_domains::domain.eq(domain)),
    )
    .set((
        sso_domains::verified_at.eq(now),
        sso_domains::token_hash.eq(None::<Vec<u8>>),
        sso_domains::expires_at.eq(None::<DateTime<Utc>>),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

pub fn remove(conn: &mut PgConnection, master: i64, domain: &str) -> QueryResult<bool> {
    diesel::delete(
        sso_domains::table
            .filter(sso_domains::master_account_id.eq(master))
            .filter(sso_domains::domain.eq(domain)),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// The provider that signs in addresses at `domain`: the connection of the owner who proved it,
/// and that owner's id (whose own login is not sent there).
pub fn route(conn: &mut PgConnection, domain: &str) -> QueryResult<Option<(Connection, i64)>> {
    sso_domains::table
        .inner_join(
            sso_connections::table
                .on(sso_connections::master_account_id.eq(sso_domains::master_account_id)),
        )
        .inner_join(accounts::table.on(accounts::id.eq(sso_domains::master_account_id)))
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::verified_at.is_not_null())
        .select((Connection::as_select(), accounts::owner_id))
        .first(conn)
        .optional()
}
