//! Working inside an account (SPEC S10): which accounts a person can reach, and where they stand
//! in one of them. Read from the database on every request, so an edit or deletion of access
//! takes effect on the person's very next request (R15).

use crate::{
    db,
    domain::{
        access::Standing,
        permission::{AccountKind, AreaSet, RestrictionSet},
        role::{Grant, Role},
    },
    error::AppResult,
    messages,
    state::AppState,
};

/// One account: a master account, or one of its sub-accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountKey {
    pub master: i64,
    pub sub: Option<i64>,
}

impl AccountKey {
    pub fn kind(self) -> AccountKind {
        if self.sub.is_some() {
            AccountKind::Sub
        } else {
            AccountKind::Master
        }
    }

    pub fn path(self) -> String {
        match self.sub {
            None => format!("/accounts/{}", self.master),
            Some(sub) => format!("/accounts/{}/sub-accounts/{sub}", self.master),
        }
    }

    /// As the switcher's form sends it: `12` or `12:34`.
    pub fn value(self) -> String {
        match self.sub {
            None => self.master.to_string(),
            Some(sub) => format!("{}:{sub}", self.master),
        }
    }

    pub fn parse(value: &str) -> Option<AccountKey> {
        let positive = |text: &str| text.parse::<i64>().ok().filter(|id| *id > 0);
        match value.split_once(':') {
            None => Some(AccountKey {
                master: positive(value)?,
                sub: None,
            }),
            Some((master, sub)) => Some(AccountKey {
                master: positive(master)?,
                sub: Some(positive(sub)?),
            }),
        }
    }
}

/// A person inside one account.
pub struct AccountContext {
    pub key: AccountKey,
    pub account_name: String,
    pub owner_name: String,
    pub owner_email: String,
    pub standing: Standing,
}

impl AccountContext {
    pub fn role(&self) -> Option<Role> {
        match self.standing {
            Standing::Owner => None,
            Standing::Member(grant) => Some(grant.role),
        }
    }
}

/// Where `person_id` stands in the account, or `None` if they cannot reach it at all, including
/// when it belongs to someone else or does not exist (the caller answers 404, R12).
pub async fn context(
    state: &AppState,
    person_id: i64,
    key: AccountKey,
) -> AppResult<Option<AccountContext>> {
    state
        .db
        .run(move |conn| {
            let Some(account) = db::accounts::find(conn, key.master)? else {
                return Ok(None);
            };
            let account_name = match key.sub {
                None => messages::MASTER_ACCOUNT.to_owned(),
                Some(sub) => match db::sub_accounts::find(conn, account.id, sub)? {
                    Some(sub) => sub.name,
                    None => return Ok(None),
                },
            };
            let standing = if account.owner_id == person_id {
                Standing::Owner
            } else {
                let Some(row) = db::members::accepted_grant(conn, person_id, account.id, key.sub)?
                else {
                    return Ok(None);
                };
                let Some(role) = Role::from_code(&row.role) else {
                    return Ok(None);
                };
                Standing::Member(Grant {
                    role,
                    areas: AreaSet::from_bits(row.areas),
                    restrictions: RestrictionSet::from_bits(row.restrictions),
                })
            };
            let owner = db::people::find_by_id(conn, account.owner_id)?
                .ok_or(diesel::result::Error::NotFound)?;
            Ok(Some(AccountContext {
                key,
                account_name,
                owner_name: owner.display_name,
                owner_email: owner.email,
                standing,
            }))
        })
        .await
}

/// An account in the switcher.
pub struct ReachableAccount {
    pub key: AccountKey,
    pub name: String,
    pub owner_name: String,
    pub own: bool,
    pub role: Option<Role>,
}

/// The person's own accounts first (master, then sub-accounts), then those shared with them.
pub async fn reachable(
    state: &AppState,
    person_id: i64,
    person_name: String,
) -> AppResult<Vec<ReachableAccount>> {
    let shared = super::sharing::shared_with_keys(state, person_id).await?;
    let own = super::sub_accounts::overview(state, person_id).await?;
    let mut accounts = Vec::new();
    if let Some((account, subs)) = own {
        accounts.push(ReachableAccount {
            key: AccountKey {
                master: account.id,
                sub: None,
            },
            name: messages::MASTER_ACCOUNT.to_owned(),
            owner_name: person_name.clone(),
            own: true,
            role: None,
        });
        accounts.extend(subs.into_iter().map(|sub| ReachableAccount {
            key: AccountKey {
                master: account.id,
                sub: Some(sub.id),
            },
            name: sub.name,
            owner_name: person_name.clone(),
            own: true,
            role: None,
        }));
    }
    accounts.extend(shared);
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_round_trip_and_refuse_garbage() {
        for key in [
            AccountKey {
                master: 3,
                sub: None,
            },
            AccountKey {
                master: 3,
                sub: Some(9),
            },
        ] {
            assert_eq!(AccountKey::parse(&key.value()), Some(key));
        }
        for bad in [
            "",
            "x",
            "-1",
            "0",
            "3:",
            ":9",
            "3:9:1",
            "9223372036854775808",
        ] {
            assert_eq!(AccountKey::parse(bad), None, "{bad:?}");
        }
        assert_eq!(
            AccountKey {
                master: 3,
                sub: Some(9)
            }
            .path(),
            "/accounts/3/sub-accounts/9"
        );
    }
}
