//! Use cases. Each runs as one transaction that applies the domain rules and queues the mail the
//! change needs in the same commit.

pub mod access_end;
pub mod accounts;
pub mod audit;
pub mod demo;
pub mod gate;
pub mod invitations;
pub mod limits;
pub mod login;
pub mod ownership;
pub mod passwords;
pub mod plans;
pub mod seed;
pub mod service_tokens;
pub mod sharing;
pub mod sub_accounts;
pub mod workspace;

use diesel::PgConnection;

use crate::{
    db::{self, accounts::Account},
    domain::{
        ids::{MasterAccountId, MemberId},
        plan::{Limits, Plan},
        quota::Usage,
        role::Role,
    },
};

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
