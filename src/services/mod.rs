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
pub mod owner;
pub mod ownership;
pub mod passkeys;
pub mod passwords;
pub mod personal_tokens;
pub mod plans;
pub mod scim;
pub mod seed;
pub mod service_tokens;
pub mod sharing;
pub mod sso;
pub mod sub_accounts;
pub mod two_factor;
pub mod webhooks;
pub mod workspace;
