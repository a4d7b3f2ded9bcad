//! The time sessions go by. In production it is the system's; a test can move it forward to see
//! a session end after 30 idle minutes or 12 hours without waiting for them.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// How far this clock is ahead of the system's, in seconds: 0 unless a test moved it.
    ahead_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.ahead_seconds.load(Ordering::Relaxed))
    }

    /// Moves this clock, and every copy of it, forward.
    pub fn advance(&self, by: Duration) {
        self.ahead_seconds
            .fetch_add(by.as_secs() as i64, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_move_together() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::from_secs(3600));
        let moved = copy.now() - before;
        assert!(
            moved >= chrono::Duration::seconds(3600) && moved < chrono::Duration::seconds(3660)
        );
    }
}
