//! Service tokens for the check API (INTEGRATION.md S16), made, listed and revoked by the
//! operator from the command line: `account-sharing token create --service NAME`.

use crate::{
    db::{self, service_tokens::ServiceToken},
    error::AppResult,
    secrets,
    state::AppState,
};

/// What every service token starts with, so that secret scanners recognise a leaked one.
pub const PREFIX: &str = "asv_";

/// `asv_` and 256 random bits: the token, shown once.
pub fn mint() -> String {
    format!("{PREFIX}{}", secrets::random_token())
}

/// The hash a presented token is looked up by; `None` for what cannot be one of ours, which is
/// then refused without a lookup.
pub fn hash_of_presented(token: &str) -> Option<Vec<u8>> {
    secrets::presented_hash(token, PREFIX)
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceNameError {
    #[error("the service's name is empty")]
    Empty,
    #[error("the service's name is longer than 100 characters")]
    TooLong,
    #[error("the service's name may hold letters, digits, spaces and . _ - only")]
    Characters,
}

/// A name the operator recognises in `token list`: what the token is for.
pub fn check_service_name(name: &str) -> Result<String, ServiceNameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceNameError::Empty);
    }
    if name.chars().count() > 100 {
        return Err(ServiceNameError::TooLong);
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'))
    {
        return Err(ServiceNameError::Characters);
    }
    Ok(name.to_owned())
}

/// Makes a token for `service`: the token itself (never stored) and its row.
pub async fn create(state: &AppState, service: &str) -> AppResult<(String, ServiceToken)> {
    let service = service.to_owned();
    let token = mint();
    let hash = secrets::token_hash(&token);
    // `asv_` and four characters: enough to tell tokens apart, nothing that helps guess one.
    let hint = format!("{}…", &token[..PREFIX.len() + 4]);
    let now = state.settings.clock.now();
    let row = state
        .db
        .run(move |conn| {
            Ok(db::service_tokens::insert(
                conn, &service, &hash, &hint, now,
            )?)
        })
        .await?;
    Ok((token, row))
}

pub async fn list(state: &AppState) -> AppResult<Vec<ServiceToken>> {
    state
        .db
        .run(|conn| Ok(db::service_tokens::all(conn)?))
        .await
}

/// Revokes the token with this id, or when `which` is not a number, every live token of the
/// service so named; what was revoked.
pub async fn revoke(state: &AppState, which: &str) -> AppResult<Vec<ServiceToken>> {
    let which = which.trim().to_owned();
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            Ok(match which.parse::<i64>() {
                Ok(id) => db::service_tokens::revoke_by_id(conn, id, now)?,
                Err(_) => db::service_tokens::revoke_by_service(conn, &which, now)?,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_prefix_and_only_ours_are_looked_up() {
        let token = mint();
        assert!(token.starts_with("asv_") && token.len() == 47, "{token}");
        assert_eq!(hash_of_presented(&token), Some(secrets::token_hash(&token)));
        for bad in [
            "",
            "asv_",
            "asp_x",
            &token[4..],
            &format!("{token}x"),
            "asv_!!",
        ] {
            assert_eq!(hash_of_presented(bad), None, "{bad:?}");
        }
        assert!(check_service_name("  Campaign editor ").is_ok());
        assert!(check_service_name(" ").is_err());
        assert!(check_service_name("a\nb").is_err());
        assert!(check_service_name(&"x".repeat(101)).is_err());
    }
}
