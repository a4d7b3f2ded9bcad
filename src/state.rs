//! What every handler can reach: the database, the settings, the outbox worker's doorbell and
//! the session cookie's key.

use std::{path::PathBuf, sync::Arc};

use actix_web::cookie::Key;

use crate::{
    config::Settings, db::Db, hashing::HashingGate, mail::worker::OutboxSignal, metrics::Metrics,
    sealing::Sealer,
};

pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub outbox: OutboxSignal,
    /// Set while mail goes to the development mailbox, which /dev/mailbox then lists.
    pub dev_mailbox: Option<PathBuf>,
    /// How many password hashes run at once (services::passwords).
    pub hashing: Arc<HashingGate>,
    /// Encrypts the session cookie; forward auth and the check API decrypt one with it.
    pub session_key: Key,
    /// Seals the secrets the service reads back (TOTP seeds), under a key derived from the
    /// session key.
    pub sealer: Sealer,
    pub metrics: Arc<Metrics>,
    /// The WebAuthn relying party for passkeys, from BASE_URL; `None` when its host is an IP
    /// address, which browsers refuse (`services::passkeys::relying_party`).
    pub passkeys: Option<Arc<webauthn_rs::Webauthn>>,
}
