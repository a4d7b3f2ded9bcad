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

#[derive(Clone, Debug)]
pub struct Clock {
    /// How far this clock is ahead of the system's, in seconds: 0 unless a test moved it.
    ahead_seconds: Arc<AtomicI64>,
    /// A time that does not pass, for a test that compares whole pages: none (`i64::MIN`)
    /// unless a test stopped the clock.
    stopped_at_micros: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            ahead_seconds: Arc::default(),
            stopped_at_micros: Arc::new(AtomicI64::new(i64::MIN)),
        }
    }
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        let base = match self.stopped_at_micros.load(Ordering::Relaxed) {
            i64::MIN => Utc::now(),
            micros => DateTime::from_timestamp_micros(micros).unwrap_or_else(Utc::now),
        };
        base + chrono::Duration::seconds(self.ahead_seconds.load(Ordering::Relaxed))
    }

    /// Stops this clock, and every copy of it, at `at`: rendered times then stay the same from
    /// run to run.
    pub fn stop_at(&self, at: DateTime<Utc>) {
        self.stopped_at_micros
            .store(at.timestamp_micros(), Ordering::Relaxed);
    }

    /// Stops this clock, and every copy of it, where it is now: for a test that compares the
    /// database before and after many requests. A session's idle limit moves out once a minute,
    /// on whichever request comes first, and a loaded suite can outlast that minute.
    pub fn stop(&self) {
        let now =
            self.now() - chrono::Duration::seconds(self.ahead_seconds.load(Ordering::Relaxed));
        self.stop_at(now);
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
    fn a_stopped_clock_stays_where_it_was_and_still_moves_forward() {
        let clock = Clock::default();
        clock.advance(Duration::from_secs(3600));
        let before = clock.now();
        clock.stop();
        let stopped = clock.now();
        assert!(stopped >= before && stopped - before < chrono::Duration::seconds(60));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), stopped);
        clock.advance(Duration::from_secs(30));
        assert_eq!(clock.now() - stopped, chrono::Duration::seconds(30));
    }

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
