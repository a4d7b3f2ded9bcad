//! Counting what the open internet may repeat (R23): password tries, sign-up, verification mails,
//! invitations, re-sends and accept attempts. The counts are kept in PostgreSQL, so the limits
//! hold across every server process; what is counted is hashed, so no address or IP is stored.

use std::{net::IpAddr, time::Duration};

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use crate::{
    config::Rates,
    db::{self, rate_limits::Hit},
    domain::limits::{Rate, Verdict, client_key, judge},
    error::{AppError, AppResult},
    secrets,
    state::AppState,
};

/// What is counted, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// Failed password tries against one address from one client: past the limit, that client
    /// is refused.
    PasswordFailuresPerClient,
    /// Failed password tries against one address from anywhere: past the limit, clients that
    /// have failed are slowed down, never refused, so a stranger cannot lock the rightful person
    /// out.
    PasswordFailuresPerAddress,
    /// Failed password tries from one client, whatever the address.
    PasswordFailuresPerIp,
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
    SubAccountsPerOwner,
    ApiWritesPerToken,
    SsoStartsPerIp,
    DomainProofsPerOwner,
    /// Passwordless passkey sign-ins begun from one client: each keeps a challenge in a session.
    PasskeySignInsPerIp,
}

impl Limited {
    fn rate(self, rates: &Rates) -> Rate {
        match self {
            Limited::PasswordFailuresPerClient | Limited::PasswordFailuresPerAddress => {
                rates.sign_in_per_address
            }
            Limited::PasswordFailuresPerIp => rates.sign_in_per_ip,
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
            Limited::SubAccountsPerOwner => rates.sub_accounts_per_owner,
            Limited::ApiWritesPerToken => rates.api_writes_per_token,
            Limited::SsoStartsPerIp => rates.sso_starts_per_ip,
            Limited::DomainProofsPerOwner => rates.domain_proofs_per_owner,
            Limited::PasskeySignInsPerIp => rates.passkey_sign_ins_per_ip,
        }
    }

    /// Part of the bucket's name, so that one address's sign-ins and sign-ups count apart.
    fn name(self) -> &'static str {
        match self {
            Limited::PasswordFailuresPerClient => "password-failures/client",
            Limited::PasswordFailuresPerAddress => "password-failures/address",
            Limited::PasswordFailuresPerIp => "password-failures/ip",
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
            Limited::SubAccountsPerOwner => "sub-accounts/owner",
            Limited::ApiWritesPerToken => "api-writes/token",
            Limited::SsoStartsPerIp => "sso-starts/ip",
            Limited::DomainProofsPerOwner => "domain-proofs/owner",
            Limited::PasskeySignInsPerIp => "passkey-sign-ins/ip",
        }
    }

    fn bucket(self, who: &str) -> Vec<u8> {
        secrets::token_hash(&format!("{}:{who}", self.name()))
    }
}

/// The hash that ties every count about one address together, so a reset can clear them.
fn subject_of(address: &str) -> Vec<u8> {
    secrets::token_hash(&format!("address:{address}"))
}

fn refusal(
    what: Limited,
    rate: Rate,
    (hits, window_end): (i32, DateTime<Utc>),
    now: DateTime<Utc>,
) -> AppResult<()> {
    match judge(rate, hits.max(0) as u32, window_end, now) {
        Verdict::Allowed => Ok(()),
        Verdict::Refused { retry_after } => Err(AppError::TooManyRequests {
            retry_after,
            limit: what.name(),
        }),
    }
}

/// Counts one attempt of `what` by `who`, inside the caller's transaction when there is one (a
/// refused invitation is then not counted, since nothing was sent). Over the limit: a 429 that
/// says how long to wait.
pub fn count(
    conn: &mut PgConnection,
    rates: &Rates,
    what: Limited,
    who: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let rate = what.rate(rates);
    let hit = Hit {
        bucket: what.bucket(who),
        window_seconds: rate.window.as_secs_f64(),
        subject: None,
    };
    let counted = db::rate_limits::hit(conn, &[hit], now)?;
    refusal(what, rate, counted[0], now)
}

/// Counts several attempts at once (per address and per IP, say), in one statement. Every count
/// is made, so an attacker spreading addresses still fills the IP's.
pub async fn count_all(state: &AppState, attempts: Vec<(Limited, String)>) -> AppResult<()> {
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            let hits: Vec<Hit> = attempts
                .iter()
                .map(|(what, who)| Hit {
                    bucket: what.bucket(who),
                    window_seconds: what.rate(&rates).window.as_secs_f64(),
                    subject: None,
                })
                .collect();
            let counted = db::rate_limits::hit(conn, &hits, now)?;
            attempts
                .iter()
                .zip(counted)
                .map(|((what, _), counted)| refusal(*what, what.rate(&rates), counted, now))
                .collect::<AppResult<Vec<()>>>()
                .map(drop)
        })
        .await
}

/// How long a client that has already failed waits before its next try of an address that is
/// being guessed from many places: slow enough to make guessing pointless, short enough for a
/// person who mistyped.
pub const SLOW_DOWN: Duration = Duration::from_secs(2);

/// One try of a password for an address, by one client: signing in, or confirming a change
/// with the current password (My account, ownership transfer). Failures are what count.
pub struct PasswordTry {
    address: String,
    client: String,
}

impl PasswordTry {
    pub fn new(address: &str, ip: IpAddr) -> PasswordTry {
        PasswordTry {
            address: address.to_owned(),
            client: client_key(ip),
        }
    }

    /// The three counts, in this order: per client and address, per address, per client.
    fn counted(&self) -> [(Limited, String, Option<Vec<u8>>); 3] {
        let subject = Some(subject_of(&self.address));
        [
            (
                Limited::PasswordFailuresPerClient,
                format!("{} {}", self.address, self.client),
                subject.clone(),
            ),
            (
                Limited::PasswordFailuresPerAddress,
                self.address.clone(),
                subject,
            ),
            (Limited::PasswordFailuresPerIp, self.client.clone(), None),
        ]
    }

    fn buckets(&self) -> Vec<Vec<u8>> {
        self.counted()
            .iter()
            .map(|(what, who, _)| what.bucket(who))
            .collect()
    }

    /// Counts the try as a failure before the password is checked, so that tries sent together
    /// cannot all pass the limit, and decides: a 429 for a client past its limit (the try is then
    /// taken back: it was refused, not failed), a wait for a client that has failed against an
    /// address being guessed from many places, or go. `succeeded` takes the count back.
    pub async fn begin(&self, state: &AppState) -> AppResult<()> {
        let rates = state.settings.rates;
        let now = state.settings.clock.now();
        let counted = self.counted();
        let buckets = self.buckets();
        let slow_down = state
            .db
            .run(move |conn| {
                let hits: Vec<Hit> = counted
                    .iter()
                    .map(|(what, who, subject)| Hit {
                        bucket: what.bucket(who),
                        window_seconds: what.rate(&rates).window.as_secs_f64(),
                        subject: subject.clone(),
                    })
                    .collect();
                let counts = db::rate_limits::hit(conn, &hits, now)?;
                let [client, address, ip] = [counts[0], counts[1], counts[2]];
                let refused = refusal(
                    Limited::PasswordFailuresPerClient,
                    rates.sign_in_per_address,
                    client,
                    now,
                )
                .and(refusal(
                    Limited::PasswordFailuresPerIp,
                    rates.sign_in_per_ip,
                    ip,
                    now,
                ));
                if refused.is_err() {
                    db::rate_limits::take_back(conn, &buckets)?;
                    return refused.map(|()| false);
                }
                let guessed_from_many = address.0 as u32 > rates.sign_in_per_address.max;
                let failed_before = client.0 > 1;
                Ok(guessed_from_many && failed_before)
            })
            .await?;
        if slow_down {
            tokio::time::sleep(SLOW_DOWN).await;
        }
        Ok(())
    }

    /// The password was right: the try was not a failure.
    pub async fn succeeded(&self, state: &AppState) -> AppResult<()> {
        let buckets = self.buckets();
        state
            .db
            .run(move |conn| Ok(db::rate_limits::take_back(conn, &buckets)?))
            .await
            .map(drop)
    }
}

/// Forgets every failed password try against `address`: after a password reset, the person who
/// just proved the mailbox signs in at once, from any client.
pub fn forget_password_failures(conn: &mut PgConnection, address: &str) -> AppResult<()> {
    db::rate_limits::forget_subject(conn, &subject_of(address))?;
    Ok(())
}
