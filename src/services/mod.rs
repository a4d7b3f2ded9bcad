//! Use cases. Each runs as one transaction that applies the domain rules and queues the mail the
//! change needs in the same commit.

pub mod accounts;
pub mod demo;
pub mod invitations;
pub mod plans;
pub mod sharing;
pub mod sub_accounts;
pub mod workspace;

use crate::{
    db::accounts::Account,
    domain::plan::{Limits, Plan},
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
