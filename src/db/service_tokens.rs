//! Rows of `service_tokens`: the operator's tokens for the check API (INTEGRATION.md S16). Only
//! each token's hash is stored; the check itself reads them in `gate::check`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::service_tokens;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_tokens)]
pub struct ServiceToken {
    pub id: i64,
    pub service: String,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub fn insert(
    conn: &mut PgConnection,
    service: &str,
    token_hash: &[u8],
    hint: &str,
    now: DateTime<Utc>,
) -> QueryResult<ServiceToken> {
    diesel::insert_into(service_tokens::table)
        .values((
            service_tokens::service.eq(service),
            service_tokens::token_hash.eq(token_hash),
            service_tokens::hint.eq(hint),
            service_tokens::created_at.eq(now),
        ))
        .returning(ServiceToken::as_returning())
        .get_result(conn)
}

/// Every token, revoked ones included, oldest first.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<ServiceToken>> {
    service_tokens::table
        .order(service_tokens::id)
        .select(ServiceToken::as_select())
        .load(conn)
}

/// Revokes the live token `id`; what was revoked.
pub fn revoke_by_id(
    conn: &mut PgConnection,
    id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Vec<ServiceToken>> {
    diesel::update(
        service_tokens::table
            .filter(service_tokens::revoked_at.is_null())
            .filter(service_tokens::id.eq(id)),
    )
    .set(service_tokens::revoked_at.eq(now))
    .returning(ServiceToken::as_returning())
    .get_results(conn)
}

/// Revokes every live token of the service `service`; what was revoked.
pub fn revoke_by_service(
    conn: &mut PgConnection,
    service: &str,
    now: DateTime<Utc>,
) -> QueryResult<Vec<ServiceToken>> {
    diesel::update(
        service_tokens::table
            .filter(service_tokens::revoked_at.is_null())
            .filter(service_tokens::service.eq(service)),
    )
    .set(service_tokens::revoked_at.eq(now))
    .returning(ServiceToken::as_returning())
    .get_results(conn)
}
