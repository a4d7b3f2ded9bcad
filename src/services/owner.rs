//! Who acts on an account, and what every use case on it loads first: the owner and the actor
//! the audit log names, the owner's accounts, the plan and what is used of it, and a person's
//! grants. The sharing pages, the plans, transfer and the access-end sweep all start here.

use std::net::IpAddr;

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::{
    db::{self, accounts::Account, members::NewGrant, people::Person},
    domain::{
        access_draft::OwnerAccounts,
        audit::State,
        ids::{AccountRef, MasterAccountId, MemberId, PersonId, SubAccountId},
        plan::{Limits, Plan},
        quota::{self, Usage},
        role::{Grant, Role},
    },
    error::{AppError, AppResult},
    i18n::Locale,
};

/// The grants of one person, each with its account.
pub type Grants = Vec<(AccountRef, Grant)>;

/// The owner acting, and their master account.
#[derive(Clone)]
pub struct Owner {
    pub person_id: PersonId,
    pub email: String,
    pub name: String,
    /// The language the owner is using: invitations to people without a login go out in it.
    pub locale: Locale,
    /// Sharing sends mail in the owner's name: it needs an address proven theirs.
    pub verified: bool,
    pub account: Account,
    /// Where the request came from, for the audit log.
    pub ip: Option<IpAddr>,
    /// The personal token acting for the owner, when the request came by the API.
    pub token: Option<String>,
}

impl Owner {
    /// `person` acting as the owner of `account`, in `locale`, from `ip`; not through a token.
    pub fn of(person: Person, account: Account, locale: Locale, ip: Option<IpAddr>) -> Owner {
        Owner {
            person_id: person.person_id(),
            locale,
            verified: person.email_verified_at.is_some(),
            email: person.email,
            name: person.display_name,
            account,
            ip,
            token: None,
        }
    }

    pub fn master(&self) -> MasterAccountId {
        self.account.master_id()
    }

    /// Refuses what sends mail in the owner's name (inviting, re-sending, editing) until their
    /// address is verified: a sign-up must not mail strangers under any name it likes.
    pub fn may_send_mail(&self) -> AppResult<()> {
        if self.verified {
            Ok(())
        } else {
            Err(AppError::AddressNotVerified)
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            token: self.token.clone(),
            ..Actor::person(self.person_id, &self.email, self.ip)
        }
    }
}

/// Who made a change, and from where. Nobody for the service itself (an access that ran out).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub person: Option<(PersonId, String)>,
    pub ip: Option<IpAddr>,
    /// The personal token the person acted through (its name and hint), for the API.
    pub token: Option<String>,
}

impl Actor {
    pub fn person(id: PersonId, email: &str, ip: Option<IpAddr>) -> Actor {
        Actor {
            person: Some((id, email.to_owned())),
            ip,
            token: None,
        }
    }
}

/// What every sharing page needs: the owner's accounts, their plan, and what is used of it.
pub struct SharingContext {
    pub accounts: OwnerAccounts,
    pub plan: Plan,
    pub limits: Limits,
    /// Everyone with access, whatever a page shows.
    pub usage: Usage,
}

/// The owner's accounts, with the sub-accounts' names: one statement.
pub fn owner_accounts(
    conn: &mut PgConnection,
    master: MasterAccountId,
) -> AppResult<OwnerAccounts> {
    let sub_accounts = db::sub_accounts::list(conn, master)?
        .into_iter()
        .map(|sub| (SubAccountId(sub.id), sub.name))
        .collect();
    Ok(OwnerAccounts {
        master,
        sub_accounts,
    })
}

/// The sub-accounts, and the usage: as the account's row keeps it (read under the lock by a
/// change), or counted leaving out `except` (someone being edited, whose own seat and grants do
/// not count against them).
pub fn load_context(
    conn: &mut PgConnection,
    account: &Account,
    except: Option<MemberId>,
) -> AppResult<SharingContext> {
    let (plan, limits) = plan_of(account);
    Ok(SharingContext {
        accounts: owner_accounts(conn, account.master_id())?,
        plan,
        limits,
        usage: match except {
            None => kept_usage(account),
            Some(_) => usage_of(conn, account.master_id(), except)?,
        },
    })
}

/// The usage the account's row keeps (`db::members::refresh_usage`).
pub fn kept_usage(account: &Account) -> Usage {
    Usage {
        seats: account.seats_used.max(0) as u32,
        advanced_accesses: account.advanced_used.max(0) as u32,
    }
}

/// The usage the account's row keeps, without one member it counts, who holds `grants`: what
/// `usage_of` counts leaving them out, with no statement (their seat, and their advanced access
/// if one of their grants is premium).
pub fn kept_usage_without(account: &Account, grants: &Grants) -> Usage {
    let kept = kept_usage(account);
    let holds_advanced = quota::holds_advanced_access(grants.iter().map(|(_, grant)| grant));
    Usage {
        seats: kept.seats.saturating_sub(1),
        advanced_accesses: kept
            .advanced_accesses
            .saturating_sub(u32::from(holds_advanced)),
    }
}

/// A member's grants on the owner's accounts, each with its account.
pub fn grants_of(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
) -> AppResult<Grants> {
    Ok(db::members::grants_of_member(conn, master, member)?
        .iter()
        .filter_map(|row| row.access(master))
        .collect())
}

/// Accesses as the audit log records them, with the sub-accounts' names of the moment.
pub fn access_state(
    accounts: &OwnerAccounts,
    grants: &[(AccountRef, Grant)],
    until: Option<NaiveDate>,
) -> State {
    State::access(
        grants,
        |sub| accounts.sub_account_name(sub).map(str::to_owned),
        until,
    )
}

pub fn new_grants(member: MemberId, grants: &[(AccountRef, Grant)]) -> Vec<NewGrant<'static>> {
    grants
        .iter()
        .map(|(account, grant)| NewGrant {
            master_account_id: account.master.0,
            member_id: member.0,
            sub_account_id: account.sub.map(|sub| sub.0),
            role: grant.role.code(),
            areas: grant.areas.bits(),
            restrictions: grant.restrictions.bits(),
        })
        .collect()
}

/// The account's plan and its sharing limits; Enterprise limits come from the account row.
pub fn plan_of(account: &Account) -> (Plan, Limits) {
    let plan = Plan::from_code(&account.plan).unwrap_or(Plan::Free);
    let enterprise = account
        .enterprise_seats
        .zip(account.enterprise_advanced)
        .map(|(seats, advanced)| Limits {
            seats: seats.max(0) as u32,
            advanced_accesses: advanced.max(0) as u32,
        });
    (plan, plan.limits(enterprise))
}

/// The codes of the roles that take an advanced access.
pub fn premium_role_codes() -> Vec<&'static str> {
    Role::all()
        .filter(|role| role.is_premium())
        .map(Role::code)
        .collect()
}

/// Seats and advanced accesses the account uses now, leaving out `except` (someone being edited).
pub fn usage_of(
    conn: &mut PgConnection,
    master: MasterAccountId,
    except: Option<MemberId>,
) -> diesel::QueryResult<Usage> {
    let (seats, advanced) = db::members::usage(conn, master, &premium_role_codes(), except)?;
    Ok(Usage {
        seats: seats as u32,
        advanced_accesses: advanced as u32,
    })
}
