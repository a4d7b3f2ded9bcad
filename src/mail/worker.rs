//! The outbox worker: claims due messages, mints their links, sends them, and records what
//! happened, retrying with backoff and jitter (R31, R32).

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use chrono::Utc;

use diesel::PgConnection;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Mail, RenderedMail, SendContext, render, transport::Transport};
use crate::{
    config::Settings,
    db,
    db::Db,
    error::{AppError, AppResult},
    i18n::Locale,
    metrics::{self, Metrics},
    secrets,
};

const BATCH_SIZE: i64 = 10;
/// How long a claimed message stays out of other workers' reach while it is being sent.
const LEASE: Duration = Duration::from_secs(300);
/// Due retries are picked up at least this often even when nobody wakes the worker.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
const FIRST_RETRY: Duration = Duration::from_secs(15);
/// A password reset link works for an hour: long enough to open the mail, short for a thief.
const PASSWORD_RESET_LINK_TTL: Duration = Duration::from_secs(3600);
const LONGEST_RETRY: Duration = Duration::from_secs(3600);
/// How long a sent mail's outcome is offered to a database that is away before giving up.
const RECORD_PATIENCE: Duration = Duration::from_secs(60);

/// Lets request handlers wake the worker right after they commit a message, so mail leaves at
/// once instead of at the next poll; and lets `/health/ready` see that the worker still comes
/// round.
#[derive(Clone, Default)]
pub struct OutboxSignal {
    doorbell: Arc<Notify>,
    /// When the worker last came round, as Unix seconds; 0 before it first does.
    last_round: Arc<AtomicI64>,
}

impl OutboxSignal {
    pub fn wake(&self) {
        self.doorbell.notify_one();
    }

    fn beat(&self) {
        self.last_round
            .store(Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// The worker has not come round for longer than a claim lasts: what it holds will go to
    /// another process, and nothing new leaves from this one. A worker never started (a command
    /// without a server) is not stuck.
    pub fn stuck(&self) -> bool {
        let last = self.last_round.load(Ordering::Relaxed);
        last != 0 && Utc::now().timestamp() - last > LEASE.as_secs() as i64
    }
}

pub struct OutboxWorker {
    pub db: Db,
    pub transport: Arc<Transport>,
    pub settings: Arc<Settings>,
    pub signal: OutboxSignal,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the server stops: the message being sent is sent and recorded, the rest
    /// of the batch is given back for another process, at once rather than when its lease ends.
    pub stop: CancellationToken,
}

impl OutboxWorker {
    pub async fn run(self) {
        while !self.stop.is_cancelled() {
            self.signal.beat();
            match self.deliver_due_batch().await {
                Ok(claimed) if claimed == BATCH_SIZE as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox: could not claim messages"),
            }
            tokio::select! {
                _ = self.stop.cancelled() => {}
                _ = self.signal.doorbell.notified() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
            }
        }
    }

    /// Delivers one batch of due messages; returns how many were claimed.
    pub async fn deliver_due_batch(&self) -> AppResult<usize> {
        let now = self.settings.clock.now();
        let lease_until = now + LEASE;
        let rows = self
            .db
            .run(move |conn| Ok(db::outbox::claim_due(conn, BATCH_SIZE, lease_until, now)?))
            .await?;
        for (done, row) in rows.iter().enumerate() {
            if self.stop.is_cancelled() {
                let rest: Vec<(i64, i32)> =
                    rows[done..].iter().map(|r| (r.id, r.attempts)).collect();
                self.db
                    .run(move |conn| Ok(db::outbox::release(conn, &rest, now)?))
                    .await?;
                break;
            }
            self.deliver(row).await;
            self.signal.beat();
        }
        Ok(rows.len())
    }

    async fn deliver(&self, row: &db::outbox::OutboxRow) {
        let (id, attempt) = (row.id, row.attempts);
        let mail: Mail = match serde_json::from_value(row.message.clone()) {
            Ok(mail) => mail,
            Err(e) => {
                return self
                    .record(
                        id,
                        row.attempts,
                        Err((true, format!("unreadable queued message: {e}"))),
                    )
                    .await;
            }
        };
        let settings = Arc::clone(&self.settings);
        let recipient = row.recipient.clone();
        let locale = Locale::from_code(&row.locale).unwrap_or_default();
        let prepared = self
            .db
            .transaction(move |conn| prepare(conn, &settings, &recipient, &mail, locale))
            .await;
        let outcome = match prepared {
            Ok(None) => {
                tracing::info!(outbox_id = id, "outbox: message no longer needed, not sent");
                let _ = self
                    .db
                    .run(move |conn| Ok(db::outbox::mark_cancelled(conn, id, attempt)?))
                    .await;
                return;
            }
            Ok(Some(rendered)) => self
                .transport
                .send(&rendered)
                .await
                .map_err(|e| (e.permanent, e.message)),
            Err(e) => Err((false, format!("could not prepare the message: {e}"))),
        };
        let outcome = outcome.map_err(|(permanent, error)| {
            (
                permanent || row.attempts >= self.settings.mail_max_attempts,
                error,
            )
        });
        if let Err((_, error)) = &outcome {
            tracing::warn!(
                outbox_id = id,
                attempt = row.attempts,
                error,
                "outbox: delivery failed"
            );
        }
        self.record(id, row.attempts, outcome).await;
    }

    /// Writes the outcome of one attempt. `Err((true, _))` gives up for good.
    async fn record(&self, id: i64, attempt: i32, outcome: Result<(), (bool, String)>) {
        let now = self.settings.clock.now();
        self.metrics.mail(match &outcome {
            Ok(()) => metrics::Delivery::Sent,
            Err((true, _)) => metrics::Delivery::Failed,
            Err((false, _)) => metrics::Delivery::Retried,
        });
        // The mail has left: what became of it must reach the database, or the lease runs out
        // and it goes again. So while the database is away (a primary switching over), ask again
        // each second, for a minute.
        let started = std::time::Instant::now();
        let result = loop {
            let outcome = outcome.clone();
            let result = self
                .db
                .run(move |conn| {
                    match outcome {
                        Ok(()) => db::outbox::mark_sent(conn, id, attempt, now)?,
                        Err((true, error)) => db::outbox::mark_failed(conn, id, attempt, &error)?,
                        Err((false, error)) => {
                            let at = now + retry_delay(attempt);
                            db::outbox::schedule_retry(conn, id, attempt, at, &error)?
                        }
                    };
                    Ok(())
                })
                .await;
            match result {
                Err(AppError::Unavailable(_)) if started.elapsed() < RECORD_PATIENCE => {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                result => break result,
            }
        };
        if let Err(e) = result {
            // The lease runs out and the message is tried again: sent twice at worst, never lost.
            tracing::error!(outbox_id = id, error = %e, "outbox: could not record the delivery outcome");
        }
    }
}

/// Mints any link the message carries and renders it, inside one transaction; `None` when the
/// message has lost its purpose (the address is verified, the invitation was deleted, accepted or
/// re-sent since), so nothing is sent.
fn prepare(
    conn: &mut PgConnection,
    settings: &Settings,
    recipient: &str,
    mail: &Mail,
    locale: Locale,
) -> AppResult<Option<RenderedMail>> {
    let now = settings.clock.now();
    let token = secrets::random_token();
    let token_hash = secrets::token_hash(&token);
    let (ttl, still_wanted, path) = match mail {
        Mail::VerifyEmail {
            person_id,
            generation,
            ..
        } => {
            let expires_at = now + settings.verification_link_ttl;
            let wanted = db::verifications::set_token(
                conn,
                *person_id,
                recipient,
                *generation,
                &token_hash,
                expires_at,
            )?;
            (settings.verification_link_ttl, wanted, "/verify-email")
        }
        Mail::DomainProof {
            master_account_id,
            domain,
            ..
        } => {
            let expires_at = now + settings.verification_link_ttl;
            let wanted = db::sso::set_token(
                conn,
                *master_account_id,
                domain,
                recipient,
                &token_hash,
                expires_at,
            )?;
            (
                settings.verification_link_ttl,
                wanted,
                "/sso/domains/confirm",
            )
        }
        Mail::Invitation {
            member_id,
            token_version,
            ..
        } => {
            let expires_at = now + settings.invitation_link_ttl;
            let wanted =
                db::members::set_token(conn, *member_id, *token_version, &token_hash, expires_at)?;
            (settings.invitation_link_ttl, wanted, "/invitations/accept")
        }
        Mail::PasswordReset {
            person_id,
            generation,
            ..
        } => {
            let expires_at = now + PASSWORD_RESET_LINK_TTL;
            let wanted = db::person_links::set_token(
                conn,
                *person_id,
                db::person_links::Purpose::PasswordReset,
                recipient,
                *generation,
                &token_hash,
                expires_at,
            )?;
            (PASSWORD_RESET_LINK_TTL, wanted, "/password-reset/new")
        }
        Mail::EmailChange {
            person_id,
            generation,
            ..
        } => {
            let expires_at = now + settings.verification_link_ttl;
            let wanted = db::person_links::set_token(
                conn,
                *person_id,
                db::person_links::Purpose::EmailChange,
                recipient,
                *generation,
                &token_hash,
                expires_at,
            )?;
            (
                settings.verification_link_ttl,
                wanted,
                "/account/email/confirm",
            )
        }
        Mail::SignUpWithExistingAddress { .. }
        | Mail::InvitationDeclined { .. }
        | Mail::InvitationAccepted { .. }
        | Mail::AccessChanged { .. }
        | Mail::AccessRemoved { .. }
        | Mail::AccessEndingSoon { .. }
        | Mail::AccessEnded { .. }
        | Mail::OwnershipOffered { .. }
        | Mail::OwnershipTransferred { .. }
        | Mail::EmailChanged { .. }
        | Mail::SecondFactorChanged { .. } => (Duration::ZERO, true, ""),
    };
    if !still_wanted {
        return Ok(None);
    }
    let action_link =
        (!path.is_empty()).then(|| format!("{}{path}?token={token}", settings.base_url));
    let context = SendContext {
        base_url: &settings.base_url,
        action_link: action_link.as_deref(),
        link_valid_hours: ttl.as_secs() / 3600,
        link_valid_until: now + ttl,
    };
    render(recipient, mail, &context, locale).map(Some)
}

/// Exponential backoff from 15 s, doubling per attempt up to an hour, with up to 20% random
/// jitter so that messages that failed together do not all retry together.
fn retry_delay(attempt: i32) -> Duration {
    let exponent = attempt.clamp(1, 20) as u32 - 1;
    let base = FIRST_RETRY
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(LONGEST_RETRY);
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    base + base.mul_f64(f64::from(byte[0]) / 255.0 * 0.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_is_stuck_once_it_has_not_come_round_for_a_lease() {
        let signal = OutboxSignal::default();
        assert!(!signal.stuck(), "a worker never started is not stuck");
        signal.beat();
        assert!(!signal.stuck());
        let long_ago = Utc::now().timestamp() - LEASE.as_secs() as i64 - 1;
        signal.last_round.store(long_ago, Ordering::Relaxed);
        assert!(signal.stuck());
    }

    #[test]
    fn retry_delay_doubles_then_caps_with_bounded_jitter() {
        for (attempt, base) in [(1, 15), (2, 30), (3, 60), (8, 1920), (9, 3600), (30, 3600)] {
            let delay = retry_delay(attempt).as_secs_f64();
            assert!(
                delay >= base as f64 && delay <= base as f64 * 1.2 + 0.001,
                "attempt {attempt}: {delay}"
            );
        }
    }
}
