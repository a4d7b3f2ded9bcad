//! Use cases. Each runs as one transaction that applies the domain rules and queues the mail the
//! change needs in the same commit.

pub mod accounts;
pub mod demo;
pub mod sub_accounts;
