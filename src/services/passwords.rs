//! Password hashing with a bounded number running at once. Each Argon2id check takes 19 MiB and
//! tens of milliseconds of a core (R21): without a bound, 500 sign-ins sent together start 500
//! blocking threads and take gigabytes. A few run at a time; a short queue waits its turn, and
//! past it the answer is 503 with Retry-After, so a flood costs the attacker, not the server.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::{
    error::{AppError, AppResult},
    secrets,
    state::AppState,
};

pub struct HashingGate {
    running: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
}

impl HashingGate {
    /// Two hashes per core at once (argon2 is single-threaded with p=1), and a queue of eight
    /// times that: with 30 ms a hash, about a second of work.
    pub fn for_this_machine() -> HashingGate {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HashingGate::new(2 * cores, 16 * cores)
    }

    pub fn new(at_once: usize, queue: usize) -> HashingGate {
        HashingGate {
            running: Semaphore::new(at_once),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy);
        }
        let turn = self.running.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _turn = turn.map_err(|_| AppError::Busy)?;
        Ok(actix_web::web::block(work).await?)
    }
}

/// The PHC string to store for a new password.
pub async fn hash(state: &AppState, password: String) -> AppResult<String> {
    Ok(state
        .hashing
        .run(move || secrets::hash_password(&password))
        .await??)
}

/// Whether `password` is the one `stored` was made from; with `None` (an unknown address), the
/// same work and `false`, so timing tells nobody who has a login (R22).
pub async fn verify(state: &AppState, password: String, stored: Option<String>) -> AppResult<bool> {
    state
        .hashing
        .run(move || match stored {
            Some(stored) => secrets::verify_password(&password, &stored),
            None => {
                secrets::spend_time_like_a_password_check(&password);
                false
            }
        })
        .await
}
