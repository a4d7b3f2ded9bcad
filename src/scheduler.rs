//! The service's own rounds, run beside the server and the outbox worker: access that ends on a
//! date (SPEC S12) every two seconds, and every ten minutes the housekeeping of expired sessions,
//! ended rate-limit windows and sign-ups never verified. It sits above the services it calls, so
//! that the mail worker, which the state holds, depends on none of them.

use std::{sync::Arc, time::Duration};

use crate::{
    config::Settings,
    db::{self, Db},
    mail::worker::OutboxSignal,
    services::{access_end, login},
};

/// How often ended accesses are removed and warnings queued: a person whose last day is over
/// is refused by every request anyway (the date is checked there); this tells them, and the log.
const ACCESS_END_INTERVAL: Duration = Duration::from_secs(2);
const HOUSEKEEPING_INTERVAL: Duration = Duration::from_secs(600);

pub struct Scheduler {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Rung when a round queued mail, so that it leaves at once.
    pub outbox: OutboxSignal,
}

impl Scheduler {
    pub async fn run(self) {
        tokio::join!(self.access_ends(), self.housekeeping());
    }

    async fn access_ends(&self) {
        loop {
            match access_end::sweep(&self.db, self.settings.clock.now()).await {
                Ok(queued) if queued > 0 => self.outbox.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "access ends: could not sweep"),
            }
            tokio::time::sleep(ACCESS_END_INTERVAL).await;
        }
    }

    /// Deletes sessions past their idle or absolute limit, rate-limit windows that have ended
    /// (already refused or forgotten: this only keeps the tables small), the API's idempotent
    /// answers once their day is over, and sign-ups never
    /// verified within a week, whose addresses are then free again.
    async fn housekeeping(&self) {
        loop {
            let now = self.settings.clock.now();
            let born_before = now - self.settings.session_absolute_timeout;
            match self
                .db
                .run(move |conn| {
                    let sessions = db::sessions::delete_expired(conn, born_before, now)?;
                    let windows = db::rate_limits::delete_ended(conn, now)?;
                    let answers = db::personal_tokens::forget_before(
                        conn,
                        now - chrono::Duration::hours(24),
                    )?;
                    Ok(sessions + windows + answers + login::remove_never_verified(conn, now)?)
                })
                .await
            {
                Ok(swept) if swept > 0 => {
                    tracing::info!(
                        swept,
                        "expired sessions, windows and unverified sign-ups deleted"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not sweep expired sessions"),
            }
            tokio::time::sleep(HOUSEKEEPING_INTERVAL).await;
        }
    }
}
