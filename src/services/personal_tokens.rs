//! Personal access tokens (INTEGRATION.md S16): made in My account for one master account the
//! person owns or has access to, shown once, stored as a SHA-256 hash, listed with when and from
//! where each was last used, revoked by the person. `holder` is how the API finds who a token
//! acts for: it answers only while the person still may.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::{
    db::{
        self,
        personal_tokens::{Holder, NewToken, PersonalToken},
    },
    domain::{
        api_scope::{Lifetime, Scope},
        ids::{MasterAccountId, PersonId},
        name::TokenName,
    },
    error::{AppError, AppResult},
    secrets,
    state::AppState,
};

/// What every personal token starts with, so that secret scanners recognise a leaked one.
pub const PREFIX: &str = "asp_";

/// Live tokens a person may hold at once: plenty for scripts, a bound on a flood.
pub const MAX_LIVE: i64 = 50;

/// The hash a presented token is looked up by; `None` for what cannot be one of ours, which is
/// then refused without a lookup.
pub fn hash_of_presented(token: &str) -> Option<Vec<u8>> {
    secrets::presented_hash(token, PREFIX)
}

/// An account a token can be made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAccount {
    pub master: MasterAccountId,
    /// The access the person holds to it; `None` for an account they own.
    pub member_id: Option<i64>,
    /// The owner's name and address, for an account shared with the person.
    pub owner: Option<(String, String)>,
}

/// A token of the person's, as My account lists it.
pub struct TokenRow {
    pub token: PersonalToken,
    pub owner_email: String,
    /// Neither revoked nor expired.
    pub live: bool,
}

/// The accounts the person may make a token for: their own master accounts, then those shared
/// with them, each once.
pub async fn accounts_for_tokens(
    state: &AppState,
    person: PersonId,
) -> AppResult<Vec<TokenAccount>> {
    let today = state.settings.clock.now().date_naive();
    let rows = state
        .db
        .run(move |conn| Ok(db::members::reachable(conn, person, None, today)?))
        .await?;
    Ok(token_accounts(rows))
}

fn token_accounts(rows: Vec<db::members::ReachableRow>) -> Vec<TokenAccount> {
    let mut accounts: Vec<TokenAccount> = Vec::new();
    for row in rows {
        let master = MasterAccountId(row.master_account_id);
        if accounts.iter().any(|known| known.master == master) {
            continue;
        }
        if row.own && row.sub_account_id.is_none() {
            accounts.push(TokenAccount {
                master,
                member_id: None,
                owner: None,
            });
        } else if let (false, Some(member_id), Some(name), Some(email)) =
            (row.own, row.member_id, row.owner_name, row.owner_email)
        {
            accounts.push(TokenAccount {
                master,
                member_id: Some(member_id),
                owner: Some((name, email)),
            });
        }
    }
    accounts
}

/// The person's tokens, newest first.
pub async fn list(state: &AppState, person: PersonId) -> AppResult<Vec<TokenRow>> {
    let now = state.settings.clock.now();
    let rows = state
        .db
        .run(move |conn| Ok(db::personal_tokens::of_person(conn, person.0)?))
        .await?;
    Ok(token_rows(rows, now))
}

/// The API tokens page: the accounts a token can be made for and the person's tokens, newest
/// first, in one statement.
pub async fn tokens_page(
    state: &AppState,
    person: PersonId,
) -> AppResult<(Vec<TokenAccount>, Vec<TokenRow>)> {
    let now = state.settings.clock.now();
    let (tokens, reachable) = state
        .db
        .run(move |conn| {
            Ok(db::personal_tokens::of_person_with_accounts(
                conn,
                person.0,
                now.date_naive(),
            )?)
        })
        .await?;
    Ok((token_accounts(reachable), token_rows(tokens, now)))
}

fn token_rows(rows: Vec<(PersonalToken, String)>, now: DateTime<Utc>) -> Vec<TokenRow> {
    rows.into_iter()
        .map(|(token, owner_email)| TokenRow {
            live: token.revoked_at.is_none() && token.expires_at.is_none_or(|at| at > now),
            token,
            owner_email,
        })
        .collect()
}

/// A token just made: the token itself, shown once and never stored, and its row.
pub struct Minted {
    pub token: String,
    pub row: PersonalToken,
}

/// Why a token was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MintRefusal {
    /// The person already holds `MAX_LIVE` live tokens.
    TooMany,
}

/// Makes a token for `account` (one of `accounts_for_tokens`). The person's row is locked for
/// the count, so a flood of forms gets `TooMany` once `MAX_LIVE` are live, however concurrent.
pub async fn create(
    state: &AppState,
    person: PersonId,
    account: TokenAccount,
    name: TokenName,
    scopes: Vec<Scope>,
    lifetime: Lifetime,
) -> AppResult<Result<Minted, MintRefusal>> {
    let token = format!("{PREFIX}{}", secrets::random_token());
    let hash = secrets::token_hash(&token);
    // `asp_` and four characters: enough to tell tokens apart, nothing that helps guess one.
    let hint = format!("{}…", &token[..PREFIX.len() + 4]);
    let now = state.settings.clock.now();
    let expires_at = lifetime
        .duration()
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .map(|d| now + d);
    let row = state
        .db
        .transaction(move |conn| {
            // One person's token-making is serialised on their row, so the cap holds.
            db::people::lock(conn, person)?;
            if db::personal_tokens::live_count(conn, person.0, now)? >= MAX_LIVE {
                return Ok(Err(MintRefusal::TooMany));
            }
            let new = NewToken {
                person_id: person.0,
                master_account_id: account.master.0,
                member_id: account.member_id,
                name: name.as_str(),
                scopes: scopes.iter().map(|s| s.code().to_owned()).collect(),
                token_hash: &hash,
                hint: &hint,
                created_at: now,
                expires_at,
            };
            Ok(Ok(db::personal_tokens::insert(conn, &new)?))
        })
        .await?;
    Ok(row.map(|row| Minted { token, row }))
}

/// Revokes the person's token `id`; 404 when it is not theirs or already revoked.
pub async fn revoke(state: &AppState, person: PersonId, id: i64) -> AppResult<()> {
    let now = state.settings.clock.now();
    let revoked = state
        .db
        .run(move |conn| Ok(db::personal_tokens::revoke(conn, person.0, id, now)?))
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Who a presented token acts for right now, noting its use (at most once a minute); `None`
/// for a token unknown, revoked, expired, or whose person may no longer reach its account.
pub async fn holder(
    state: &AppState,
    token_hash: Vec<u8>,
    ip: Option<IpAddr>,
) -> AppResult<Option<Holder>> {
    let now: DateTime<Utc> = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            let holder = db::personal_tokens::holder(conn, &token_hash, now)?;
            if let Some(holder) = &holder
                && holder
                    .token
                    .last_used_at
                    .is_none_or(|at| at < now - chrono::Duration::minutes(1))
            {
                db::personal_tokens::touch(conn, holder.token.id, ip.map(ipnet::IpNet::from), now)?;
            }
            Ok(holder)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_tokens_carry_their_prefix_and_only_ours_are_looked_up() {
        let token = format!("{PREFIX}{}", secrets::random_token());
        assert!(token.starts_with("asp_") && token.len() == 47, "{token}");
        assert_eq!(hash_of_presented(&token), Some(secrets::token_hash(&token)));
        let service = format!("asv_{}", &token[4..]);
        for bad in ["", "asp_", &token[4..], &format!("{token}x"), &service] {
            assert_eq!(hash_of_presented(bad), None, "{bad:?}");
        }
    }
}
