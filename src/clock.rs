//! The `Clock` port: today's date and the wall-clock time, replaceable in tests.
//!
//! The Pi has no clock battery: without network time it may start in 1970, or at the time
//! systemd-timesyncd saved when it last ran, then jump when the network sets it. Dates,
//! numbering, the service day and everything stored read this port; timers (inactivity,
//! sessions, lockouts, time limits) use `std::time::Instant`, which never jumps.

use chrono::NaiveDate;
use std::sync::atomic::{AtomicI64, Ordering};

/// When this binary was built (seconds since 1970): a clock before it is wrong.
pub const BUILT_AT: i64 = match i64::from_str_radix(env!("GUICHET_BUILT_AT"), 10) {
    Ok(t) => t,
    Err(_) => 0,
};

pub trait Clock: Send + Sync {
    /// The local calendar date.
    fn today(&self) -> NaiveDate {
        self.date_of(self.now_ms())
    }
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// The local calendar date of a time in milliseconds.
    fn date_of(&self, ms: i64) -> NaiveDate;
    /// A time before this one (ms) is certainly wrong: the clock had not been set.
    fn earliest_ms(&self) -> i64;
    /// How far this clock jumped forward since this process first read it: what the
    /// process recorded before the jump was behind by about that much.
    fn jumped(&self) -> Jump;
}

/// A forward jump of the wall clock, as one process saw it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Jump {
    /// The wall time (ms) when the process first read the clock.
    pub since_ms: i64,
    /// How much more the wall clock moved on than monotonic time did since then (ms).
    pub forward_ms: i64,
}

/// Less than this is the time service's slow correction, not a jump.
pub const JUMP_MS: i64 = 10 * 60_000;

/// The wall and monotonic times at this process's first reading of the system clock.
static ANCHOR: std::sync::OnceLock<(i64, std::time::Instant)> = std::sync::OnceLock::new();

fn anchor() -> (i64, std::time::Instant) {
    *ANCHOR.get_or_init(|| (chrono::Utc::now().timestamp_millis(), std::time::Instant::now()))
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
    fn now_ms(&self) -> i64 {
        anchor();
        chrono::Utc::now().timestamp_millis()
    }
    fn date_of(&self, ms: i64) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(ms)
            .map_or_else(NaiveDate::default, |d| d.with_timezone(&chrono::Local).date_naive())
    }
    fn earliest_ms(&self) -> i64 {
        BUILT_AT.saturating_mul(1000)
    }
    fn jumped(&self) -> Jump {
        let (wall, mono) = anchor();
        let elapsed = i64::try_from(mono.elapsed().as_millis()).unwrap_or(i64::MAX);
        Jump { since_ms: wall, forward_ms: (chrono::Utc::now().timestamp_millis() - wall).saturating_sub(elapsed) }
    }
}

/// A clock that tests set by hand (UTC dates). Times before 2020 are "not set". Setting
/// or advancing it is time passing; `jump_to` is the network setting it while running.
pub struct ManualClock {
    ms: AtomicI64,
    since: AtomicI64,
    forward: AtomicI64,
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock { ms: AtomicI64::new(0), since: AtomicI64::new(0), forward: AtomicI64::new(0) }
    }
}

/// 2020-01-01 00:00 UTC: the manual clock's `earliest_ms`.
pub const MANUAL_EARLIEST_MS: i64 = 1_577_836_800_000;

impl ManualClock {
    /// Noon of `day`, as a process that starts then reads it.
    pub fn new(day: NaiveDate) -> ManualClock {
        ManualClock::start_at(day.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis()))
    }

    /// `ms`, as a process that starts then reads it.
    pub fn start_at(ms: i64) -> ManualClock {
        ManualClock { ms: AtomicI64::new(ms), since: AtomicI64::new(ms), forward: AtomicI64::new(0) }
    }

    /// The clock set to `ms` while the process runs (time does not pass meanwhile).
    pub fn jump_to(&self, ms: i64) {
        let before = self.ms.swap(ms, Ordering::SeqCst);
        self.forward.fetch_add(ms - before, Ordering::SeqCst);
    }

    /// Noon of `day`.
    pub fn set_day(&self, day: NaiveDate) {
        let ms = day.and_hms_opt(12, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis());
        self.ms.store(ms, Ordering::SeqCst);
    }

    /// Moves the clock on by `ms` milliseconds (back when negative).
    pub fn advance(&self, ms: i64) {
        self.ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.ms.load(Ordering::SeqCst)
    }
    fn date_of(&self, ms: i64) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(ms).map_or_else(NaiveDate::default, |d| d.date_naive())
    }
    fn earliest_ms(&self) -> i64 {
        MANUAL_EARLIEST_MS
    }
    fn jumped(&self) -> Jump {
        Jump { since_ms: self.since.load(Ordering::SeqCst), forward_ms: self.forward.load(Ordering::SeqCst) }
    }
}

/// Whether a time recorded on `filed_under` belongs to `new_day` after all, its clock now
/// known to have been behind: before the clock could have been set (and it is set now); on
/// a date before the day it was filed under (the service day never goes back, so the clock
/// was behind); or recorded by this process before a forward jump that puts it on `new_day`
/// (a Pi started where its clock was saved the evening before, then set by the network).
pub fn was_behind(clock: &dyn Clock, at_ms: i64, filed_under: NaiveDate, new_day: NaiveDate) -> bool {
    let earliest = clock.earliest_ms();
    let jump = clock.jumped();
    // Recorded by this process's clock before it jumped: from its first reading to what
    // that clock would read now. A time of an earlier process (yesterday's, on time) is
    // after the first reading of a clock that started in 1970, but not in that span.
    let behind_now = clock.now_ms().saturating_sub(jump.forward_ms);
    let before_jump = jump.forward_ms >= JUMP_MS && (jump.since_ms..=behind_now).contains(&at_ms);
    (at_ms < earliest && clock.now_ms() >= earliest)
        || clock.date_of(at_ms) < filed_under
        || (before_jump && clock.date_of(at_ms.saturating_add(jump.forward_ms)) >= new_day)
}

/// What the kernel says of the system time's synchronisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    Yes,
    No,
    /// The kernel could not be asked (the reason).
    Unknown(String),
}

/// Asks the kernel (`adjtimex`, read only): an NTP daemon (systemd-timesyncd, chrony,
/// ntpd) clears `STA_UNSYNC` once it has set the clock; `timedatectl` reads the same bit.
pub fn kernel_synced() -> Synced {
    use nix::libc;
    // SAFETY: `timex` is plain data for which all zeroes is valid; with `modes` zero,
    // adjtimex only reads the kernel's state into it.
    let mut t: libc::timex = unsafe { std::mem::zeroed() };
    let state = unsafe { libc::adjtimex(&mut t) };
    match state {
        -1 => Synced::Unknown(std::io::Error::last_os_error().to_string()),
        libc::TIME_ERROR => Synced::No,
        _ if t.status & libc::STA_UNSYNC != 0 => Synced::No,
        _ => Synced::Yes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_time_is_behind_before_the_clock_was_set_or_before_its_own_day() {
        let clock = ManualClock::default();
        let morning = 8 * 3_600_000;
        let next = day(1970, 1, 2);
        assert!(!was_behind(&clock, morning, day(1970, 1, 1), next), "still 1970: nothing tells it is wrong");
        clock.set_day(day(2026, 11, 23));
        let today = day(2026, 11, 23);
        assert!(was_behind(&clock, morning, day(1970, 1, 1), today), "set now: 1970 was wrong");
        let late = ManualClock::new(day(2026, 10, 24)).now_ms();
        assert!(was_behind(&clock, late, day(2026, 11, 22), today), "a month before the day it was filed under");
        let on_time = ManualClock::new(day(2026, 11, 22)).now_ms();
        assert!(!was_behind(&clock, on_time, day(2026, 11, 22), today));
    }

    #[test]
    fn a_time_before_a_jump_forward_is_behind_if_the_jump_puts_it_on_the_new_day() {
        // Started at 18:00 on the 22nd (where the clock was saved), set at 9:30 on the 23rd.
        let evening = ManualClock::new(day(2026, 11, 22)).now_ms() + 6 * 3_600_000;
        let (ticket, left_yesterday) = (evening + 20 * 60_000, evening - 2 * 3_600_000);
        let set = evening + (15 * 60 + 30) * 60_000;
        let (filed, today) = (day(2026, 11, 22), day(2026, 11, 23));
        let clock = ManualClock::start_at(evening);
        clock.advance(20 * 60_000); // the ticket is taken, then the clock is set
        clock.jump_to(set);
        assert!(was_behind(&clock, ticket, filed, today), "this morning's, by a stale clock");
        assert!(!was_behind(&clock, left_yesterday, filed, today), "before this process: yesterday's");
        let restarted = ManualClock::start_at(set);
        assert!(!was_behind(&restarted, ticket, filed, today), "no jump seen: yesterday's");
        let small = ManualClock::start_at(evening + 5 * 3_600_000 + 55 * 60_000);
        small.jump_to(small.now_ms() + 5 * 60_000);
        assert!(!was_behind(&small, evening + 5 * 3_600_000 + 56 * 60_000, filed, today), "5 minutes is no jump");
    }

    /// Inactivity, sessions, lockouts, device trust, time limits and the keypad count
    /// `Instant`s (and the kiosk's Slint timers, which count monotonic time too): none of
    /// their files reads the wall clock, so a jump of it cannot end or stretch them.
    #[test]
    fn timers_never_read_the_wall_clock() {
        let timers = [
            ("core/journey.rs", include_str!("core/journey.rs")),
            ("kiosk/mod.rs", include_str!("kiosk/mod.rs")),
            ("kiosk/wiring.rs", include_str!("kiosk/wiring.rs")),
            ("staff/access/auth.rs", include_str!("staff/access/auth.rs")),
            ("staff/access/throttle.rs", include_str!("staff/access/throttle.rs")),
            ("staff/access/devices.rs", include_str!("staff/access/devices.rs")),
            ("staff/access/limits.rs", include_str!("staff/access/limits.rs")),
            ("server_thread/listener.rs", include_str!("server_thread/listener.rs")),
            ("speech/mod.rs", include_str!("speech/mod.rs")),
            ("hardware/transport.rs", include_str!("hardware/transport.rs")),
            ("hardware/presence.rs", include_str!("hardware/presence.rs")),
            ("hardware/watchdog.rs", include_str!("hardware/watchdog.rs")),
        ];
        for (file, text) in timers {
            for wall in ["SystemTime", "Utc::now", "Local::now", "now_ms", ".today()"] {
                assert!(!text.contains(wall), "src/{file} reads the wall clock ({wall}): use Instant");
            }
        }
    }
}
