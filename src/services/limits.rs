//! Counting what the open internet may repeat (R23): sign-in, sign-up, verification mails,
//! invitations, re-sends and accept attempts. The counts are kept in PostgreSQL, so the limits
//! hold across every server process; what is counted is hashed, so no address or IP is stored.

use diesel::PgConnection;

use crate::{
    config::Rates,
    db,
    domain::limits::{Rate, Verdict, judge},
    error::{AppError, AppResult},
    secrets,
    state::AppState,
};

/// What is counted, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    SignInPerAddress,
    SignInPerIp,
    SignUpPerAddress,
    SignUpPerIp,
    VerificationPerAddress,
    VerificationPerIp,
    InvitationsPerOwner,
    ResendPerPerson,
    AcceptPerLink,
    AcceptPerIp,
    PasswordResetPerAddress,
    PasswordResetPerIp,
}

impl Limited {
    fn rate(self, rates: &Rates) -> Rate {
        match self {
            Limited::SignInPerAddress => rates.sign_in_per_address,
            Limited::SignInPerIp => rates.sign_in_per_ip,
            Limited::SignUpPerAddress => rates.sign_up_per_address,
            Limited::SignUpPerIp => rates.sign_up_per_ip,
            Limited::VerificationPerAddress => rates.verification_per_address,
            Limited::VerificationPerIp => rates.verification_per_ip,
            Limited::InvitationsPerOwner => rates.invitations_per_owner,
            Limited::ResendPerPerson => rates.resend_per_person,
            Limited::AcceptPerLink => rates.accept_per_link,
            Limited::AcceptPerIp => rates.accept_per_ip,
            Limited::PasswordResetPerAddress => rates.password_reset_per_address,
            Limited::PasswordResetPerIp => rates.password_reset_per_ip,
        }
    }

    /// Part of the bucket's name, so that one address's sign-ins and sign-ups count apart.
    fn name(self) -> &'static str {
        match self {
            Limited::SignInPerAddress => "sign-in/address",
            Limited::SignInPerIp => "sign-in/ip",
            Limited::SignUpPerAddress => "sign-up/address",
            Limited::SignUpPerIp => "sign-up/ip",
            Limited::VerificationPerAddress => "verification/address",
            Limited::VerificationPerIp => "verification/ip",
            Limited::InvitationsPerOwner => "invitations/owner",
            Limited::ResendPerPerson => "resend/person",
            Limited::AcceptPerLink => "accept/link",
            Limited::AcceptPerIp => "accept/ip",
            Limited::PasswordResetPerAddress => "password-reset/address",
            Limited::PasswordResetPerIp => "password-reset/ip",
        }
    }
}

/// Counts one attempt of `what` by `who`, inside the caller's transaction when there is one (a
/// refused invitation is then not counted, since nothing was sent). Over the limit: a 429 that
/// says how long to wait.
pub fn count(conn: &mut PgConnection, rates: &Rates, what: Limited, who: &str) -> AppResult<()> {
    let rate = what.rate(rates);
    let bucket = secrets::token_hash(&format!("{}:{who}", what.name()));
    let (hits, window_end) = db::rate_limits::hit(conn, &bucket, rate.window.as_secs_f64())?;
    match judge(rate, hits.max(0) as u32, window_end, chrono::Utc::now()) {
        Verdict::Allowed => Ok(()),
        Verdict::Refused { retry_after } => Err(AppError::TooManyRequests { retry_after }),
    }
}

/// Counts several attempts at once (per address and per IP, say), in one connection checkout.
/// Every count is made, so an attacker spreading addresses still fills the IP's.
pub async fn count_all(state: &AppState, attempts: Vec<(Limited, String)>) -> AppResult<()> {
    let rates = state.settings.rates;
    state
        .db
        .run(move |conn| {
            let mut refused = Ok(());
            for (what, who) in &attempts {
                if let Err(e) = count(conn, &rates, *what, who) {
                    refused = refused.and(Err(e));
                }
            }
            refused
        })
        .await
}
