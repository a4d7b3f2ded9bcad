//! Webhooks (INTEGRATION.md S17): an owner's endpoints (Share your account → Webhooks) and the
//! operator's (WEBHOOKS), and the worker that delivers what `audit::record` queued with each
//! change, signed per Standard Webhooks 1.0, at least once, the same `webhook-id` on every try,
//! on the schedule of `domain::webhook::retry_after`, then failed and shown with Re-send.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use chrono::Utc;
use tokio_util::sync::CancellationToken;

use crate::{
    config::Settings,
    db::{
        self, Db,
        webhooks::{Delivery, Endpoint, Outcome},
    },
    domain::webhook::{self, Target, TargetError},
    error::{AppError, AppResult},
    metrics::{self, Metrics},
    services::owner::Owner,
    state::AppState,
};

/// Endpoints one owner may register.
pub const MAX_ENDPOINTS: i64 = 10;
/// Deliveries a page of the log shows.
pub const LOG_SIZE: i64 = 50;
const BATCH_SIZE: i64 = 10;
/// How long a claimed delivery stays out of other workers' reach while it is tried.
const LEASE: Duration = Duration::from_secs(60);
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// A receiver that has not answered in this time has failed this attempt.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The addresses to call for `target`: every address it resolves to must be public (unless
/// `allow_private`), or none is called, so a name cannot smuggle an internal address in among
/// public ones.
pub async fn resolve(target: &Target, allow_private: bool) -> Result<Vec<SocketAddr>, TargetError> {
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|_| TargetError::Unresolved)?
        .collect();
    if addresses.is_empty() {
        return Err(TargetError::Unresolved);
    }
    if !allow_private && addresses.iter().any(|a| !webhook::is_public(a.ip())) {
        return Err(TargetError::Private);
    }
    Ok(addresses)
}

/// Why an endpoint was not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddRefusal {
    Target(TargetError),
    TooMany,
}

/// Adds an endpoint for the owner: its URL checked and resolved now (and again at each
/// delivery), its signing secret made, to be shown once.
pub async fn add(
    state: &AppState,
    owner: &Owner,
    url: &str,
) -> AppResult<Result<(Endpoint, String), AddRefusal>> {
    let allow_private = state.settings.webhook_allow_private;
    let target = match webhook::parse_target(url, allow_private) {
        Ok(target) => target,
        Err(e) => return Ok(Err(AddRefusal::Target(e))),
    };
    if let Err(e) = resolve(&target, allow_private).await {
        return Ok(Err(AddRefusal::Target(e)));
    }
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let secret = webhook::secret_of(&random);
    let (master, url, now) = (owner.master().0, url.to_owned(), state.settings.clock.now());
    let stored = secret.clone();
    state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, crate::domain::ids::MasterAccountId(master))?;
            if db::webhooks::count_of_account(conn, master)? >= MAX_ENDPOINTS {
                return Ok(Err(AddRefusal::TooMany));
            }
            let endpoint = db::webhooks::insert_endpoint(conn, master, &url, &stored, now)?;
            Ok(Ok((endpoint, secret)))
        })
        .await
}

/// The owner's endpoints, each with its deliveries that failed for good.
pub async fn list(state: &AppState, owner: &Owner) -> AppResult<Vec<(Endpoint, i64)>> {
    let master = owner.master().0;
    state
        .db
        .run(move |conn| Ok(db::webhooks::of_account(conn, master)?))
        .await
}

/// One endpoint of the owner's; not found for anyone else's.
pub async fn endpoint(state: &AppState, owner: &Owner, id: i64) -> AppResult<Endpoint> {
    let master = owner.master().0;
    state
        .db
        .run(move |conn| db::webhooks::find(conn, master, id)?.ok_or(AppError::NotFound))
        .await
}

/// One endpoint of the owner's and its newest deliveries, in one statement; not found for anyone
/// else's.
pub async fn log(state: &AppState, owner: &Owner, id: i64) -> AppResult<(Endpoint, Vec<Delivery>)> {
    let master = owner.master().0;
    state
        .db
        .run(move |conn| db::webhooks::log(conn, master, id, LOG_SIZE)?.ok_or(AppError::NotFound))
        .await
}

pub async fn delete(state: &AppState, owner: &Owner, id: i64) -> AppResult<()> {
    let master = owner.master().0;
    let deleted = state
        .db
        .run(move |conn| Ok(db::webhooks::delete(conn, master, id)?))
        .await?;
    if deleted {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Re-send of a delivery that failed: tried again now, with its `webhook-id`.
pub async fn resend(
    state: &AppState,
    owner: &Owner,
    endpoint: i64,
    delivery: i64,
) -> AppResult<()> {
    let (master, now) = (owner.master().0, state.settings.clock.now());
    let resent = state
        .db
        .run(move |conn| Ok(db::webhooks::resend(conn, master, endpoint, delivery, now)?))
        .await?;
    if resent {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Makes the instance-wide endpoints those WEBHOOKS lists, at start.
pub async fn sync_instance_endpoints(db: &Db, settings: &Settings) -> AppResult<()> {
    let (listed, now) = (settings.instance_webhooks.clone(), settings.clock.now());
    db.run(move |conn| Ok(db::webhooks::sync_env_endpoints(conn, &listed, now)?))
        .await
}

/// Delivers queued webhook messages, beside the server, in every server process.
pub struct WebhookWorker {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the server stops: the delivery under way finishes, the rest of the batch
    /// is given back.
    pub stop: CancellationToken,
}

impl WebhookWorker {
    pub async fn run(self) {
        while !self.stop.is_cancelled() {
            match self.deliver_due_batch().await {
                Ok(claimed) if claimed == BATCH_SIZE as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "webhooks: could not claim deliveries"),
            }
            tokio::select! {
                _ = self.stop.cancelled() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
            }
        }
    }

    /// Tries one batch of due deliveries; how many were claimed.
    pub async fn deliver_due_batch(&self) -> AppResult<usize> {
        let now = self.settings.clock.now();
        let lease_until = now + LEASE;
        let claimed = self
            .db
            .run(move |conn| Ok(db::webhooks::claim_due(conn, BATCH_SIZE, lease_until, now)?))
            .await?;
        for (done, (delivery, endpoint)) in claimed.iter().enumerate() {
            if self.stop.is_cancelled() {
                let rest: Vec<(i64, i32)> = claimed[done..]
                    .iter()
                    .map(|(d, _)| (d.id, d.attempts))
                    .collect();
                self.db
                    .run(move |conn| Ok(db::webhooks::release(conn, &rest, now)?))
                    .await?;
                break;
            }
            let (status, error) = match self.send(delivery, endpoint).await {
                Ok(status) if (200..300).contains(&status) => (Some(status), None),
                Ok(status) => (Some(status), Some(format!("answered {status}"))),
                Err(error) => (None, Some(error)),
            };
            let now = self.settings.clock.now();
            let outcome = match &error {
                None => Outcome::Delivered,
                Some(_) => match webhook::retry_after(delivery.attempts) {
                    Some(wait) => Outcome::Retry(now + wait),
                    None => Outcome::Failed,
                },
            };
            if let Some(error) = &error {
                tracing::warn!(
                    delivery = delivery.id,
                    attempt = delivery.attempts,
                    error,
                    "webhooks: delivery failed"
                );
            }
            self.metrics.webhook(match outcome {
                Outcome::Delivered => metrics::Delivery::Sent,
                Outcome::Retry(_) => metrics::Delivery::Retried,
                Outcome::Failed => metrics::Delivery::Failed,
            });
            let (id, attempt) = (delivery.id, delivery.attempts);
            let recorded = self
                .db
                .run(move |conn| {
                    let status = status.map(i32::from);
                    Ok(db::webhooks::record(
                        conn,
                        id,
                        attempt,
                        outcome,
                        status,
                        error.as_deref(),
                        now,
                    )?)
                })
                .await;
            if let Err(e) = recorded {
                // The lease runs out and it is tried again: delivered twice at worst, never lost.
                tracing::error!(delivery = id, error = %e, "webhooks: could not record an attempt");
            }
        }
        Ok(claimed.len())
    }

    /// One attempt: the target checked and resolved again (its name may point elsewhere now),
    /// then the message posted to the address checked, signed with this attempt's timestamp.
    async fn send(&self, delivery: &Delivery, endpoint: &Endpoint) -> Result<u16, String> {
        let allow_private = self.settings.webhook_allow_private;
        let target = webhook::parse_target(&endpoint.url, allow_private)
            .map_err(|e| format!("refused: {e:?}"))?;
        let addresses = resolve(&target, allow_private)
            .await
            .map_err(|e| format!("refused: {e:?}"))?;
        let key = webhook::secret_key(&endpoint.secret).ok_or("unreadable signing secret")?;
        let timestamp = Utc::now().timestamp();
        let signature =
            webhook::signature(&key, &delivery.message_id, timestamp, &delivery.payload);
        // Pinned to the addresses just checked: no second lookup can answer otherwise.
        let client = reqwest::Client::builder()
            .resolve_to_addrs(&target.host, &addresses)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .user_agent("account-sharing-webhooks/1")
            .build()
            .map_err(|e| format!("client: {e}"))?;
        let response = client
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await
            .map_err(|e| without_url(&e))?;
        Ok(response.status().as_u16())
    }
}

/// reqwest's error, without the URL it names (which may carry a token the owner put in it).
fn without_url(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "could not be sent"
    }
    .to_owned()
}
