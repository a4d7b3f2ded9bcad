//! The threads that hash passwords, with a bound on how many run at once. Each Argon2id check
//! takes 19 MiB and tens of milliseconds of a core (R21): without a bound, 500 sign-ins sent
//! together started 500 blocking threads and took gigabytes. Hashes run on a few threads of
//! their own, two per core, each of which reuses its memory from one hash to the next while the
//! queue holds more and gives it back when the queue is empty; a short queue waits its turn, and
//! past it the answer is 503 with Retry-After, so a flood costs the attacker, not the server.
//! `AppState` holds one; `services::passwords` uses it.

use std::sync::{
    Arc, Mutex, TryLockError,
    mpsc::{self, Receiver, TryRecvError},
};

use tokio::sync::oneshot;

use crate::error::{AppError, AppResult};

type Job = Box<dyn FnOnce() + Send>;

/// What a hashing thread finds in the queue without waiting.
enum Taken {
    Job(Job),
    Nothing,
    /// Every sender is gone: the server has stopped.
    Stopped,
}

/// A job waiting in the queue, without waiting for one. The lock is held only while taking or
/// waiting for the next job: held by another thread, it is usually one waiting in an empty
/// queue, so this finds nothing rather than waiting for the lock (where it could not give its
/// memory back until the next job came).
fn take(receiver: &Mutex<Receiver<Job>>) -> Taken {
    match receiver.try_lock() {
        Ok(receiver) => match receiver.try_recv() {
            Ok(job) => Taken::Job(job),
            Err(TryRecvError::Empty) => Taken::Nothing,
            Err(TryRecvError::Disconnected) => Taken::Stopped,
        },
        Err(TryLockError::WouldBlock) => Taken::Nothing,
        Err(TryLockError::Poisoned(_)) => Taken::Stopped,
    }
}

/// The next job, once there is one; `None` once the server has stopped.
fn wait(receiver: &Mutex<Receiver<Job>>) -> Option<Job> {
    receiver.lock().ok()?.recv().ok()
}

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
                        let job = match take(&receiver) {
                            Taken::Job(job) => job,
                            // Nothing waits: the memory goes back before the thread sleeps.
                            Taken::Nothing => {
                                crate::secrets::release_hashing_memory();
                                match wait(&receiver) {
                                    Some(job) => job,
                                    None => return,
                                }
                            }
                            Taken::Stopped => return,
                        };
                        job();
                    }
                })
                .expect("a password hashing thread starts");
        }
        HashingGate { queue: sender }
    }

    /// Runs `work` on a hashing thread; `AppError::Busy` when the queue is full.
    pub async fn run<T: Send + 'static>(
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
