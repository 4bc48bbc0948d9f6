//! The `Clock` port: today's date and the wall-clock time, replaceable in tests.

use chrono::NaiveDate;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync {
    /// The local calendar date.
    fn today(&self) -> NaiveDate;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A clock that tests set by hand (day as days since 1970-01-01).
#[derive(Default)]
pub struct ManualClock {
    ms: AtomicI64,
}

impl ManualClock {
    pub fn new(day: NaiveDate) -> ManualClock {
        let clock = ManualClock::default();
        clock.set_day(day);
        clock
    }

    pub fn set_day(&self, day: NaiveDate) {
        let ms = day.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis());
        self.ms.store(ms, Ordering::SeqCst);
    }

    /// Moves the clock on by `ms` milliseconds.
    pub fn advance(&self, ms: i64) {
        self.ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn today(&self) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(self.now_ms()).map_or_else(NaiveDate::default, |d| d.date_naive())
    }
    fn now_ms(&self) -> i64 {
        self.ms.load(Ordering::SeqCst)
    }
}
