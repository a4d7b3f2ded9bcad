//! Password hashing with a bounded number running at once. Each Argon2id check takes 19 MiB and
//! tens of milliseconds of a core (R21): without a bound, 500 sign-ins sent together started 500
//! blocking threads and took gigabytes. Hashes run on a few threads of their own, two per core,
//! each of which reuses its memory from one hash to the next; a short queue waits its turn, and
//! past it the answer is 503 with Retry-After, so a flood costs the attacker, not the server.

use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::oneshot;

use crate::{
    error::{AppError, AppResult},
    secrets,
    state::AppState,
};

type Job = Box<dyn FnOnce() + Send>;

pub struct HashingGate {
    queue: mpsc::SyncSender<Job>,
}

impl HashingGate {
    /// Two hashing threads per core, and a queue of eight per thread: with 30 ms a hash, a
    /// quarter of a second of waiting at most.
    pub fn for_this_machine() -> HashingGate {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HashingGate::new(2 * cores, 16 * cores)
    }

    pub fn new(threads: usize, queue: usize) -> HashingGate {
        let (sender, receiver) = mpsc::sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            // Every sender is gone: the server has stopped.
                            Err(_) => return,
                        }
                    }
                })
                .expect("a password hashing thread starts");
        }
        HashingGate { queue: sender }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.queue.try_send(job).map_err(|_| AppError::Busy)?;
        result
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("a password hashing thread stopped")))
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
