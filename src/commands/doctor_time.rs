//! `guichet doctor`'s clock lines: is the date plausible, and is the time synchronised?
//! The Pi has no clock battery (a Pi 5 has one only if fitted): without network time it
//! starts in 1970, or where systemd-timesyncd left it at the last shutdown. Numbering and
//! the service day stay right whatever the clock does; dates and times shown do not.

use super::doctor_line::{Line, Status};
use crate::clock::{kernel_synced, Synced};

/// The time as the technician reads it (local), or the raw seconds if out of range.
pub fn shown(now_s: i64) -> String {
    chrono::DateTime::from_timestamp(now_s, 0)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|| now_s.to_string())
}

/// What a technician can do about a clock that is not set, in the order worth trying.
const FIX: &str = "give it network time (a time server on the office network: NTP= in \
                   /etc/systemd/timesyncd.conf), or fit a clock battery (Pi 5: the RTC battery on J5; \
                   Pi 4: a DS3231 RTC module and dtoverlay=i2c-rtc,ds3231 in config.txt), or set it \
                   by hand after each start: sudo date -s 'YYYY-MM-DD HH:MM'";

/// The date: before this build was made, the clock is certainly wrong.
pub fn date(now_s: i64, built_at_s: i64) -> Line {
    if now_s < built_at_s {
        let what = format!("{} is before this build was made: the clock is wrong; {FIX}", shown(now_s));
        Line::new(Status::Fail, "clock", what)
    } else {
        Line::new(Status::Pass, "clock", shown(now_s))
    }
}

/// Whether the time is synchronised, and what follows when it is not.
pub fn sync(synced: &Synced) -> Line {
    match synced {
        Synced::Yes => Line::new(Status::Pass, "time sync", "synchronised (network time)"),
        Synced::No => Line::new(
            Status::Warn,
            "time sync",
            format!(
                "not synchronised: ticket numbers and the service day stay right, but the times on \
                 tickets, the console and the report follow this clock; {FIX}"
            ),
        ),
        Synced::Unknown(why) => Line::new(Status::Warn, "time sync", format!("cannot tell ({why})")),
    }
}

/// Both lines, from the machine's clock and kernel.
pub fn lines() -> Vec<Line> {
    let now_s = crate::clock::Clock::now_ms(&crate::clock::SystemClock).div_euclid(1000);
    vec![date(now_s, crate::clock::BUILT_AT), sync(&kernel_synced())]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: i64 = 1_790_000_000; // September 2026

    #[test]
    fn a_date_before_the_build_fails_and_says_how_to_set_it() {
        let line = date(8 * 3600, BUILT);
        assert_eq!((line.status, line.part), (Status::Fail, "clock"));
        assert!(line.detail.contains("1970") && line.detail.contains("before this build"), "{}", line.detail);
        assert!(line.detail.contains("sudo date -s") && line.detail.contains("RTC"), "{}", line.detail);
        assert_eq!(date(BUILT + 60, BUILT).status, Status::Pass);
        assert_eq!(date(BUILT, BUILT).status, Status::Pass, "the build's own second is plausible");
    }

    #[test]
    fn an_unsynchronised_clock_warns_with_what_to_do() {
        assert_eq!(sync(&Synced::Yes).status, Status::Pass);
        let no = sync(&Synced::No);
        assert_eq!((no.status, no.part), (Status::Warn, "time sync"));
        assert!(no.detail.contains("NTP=") && no.detail.contains("ds3231"), "{}", no.detail);
        let unknown = sync(&Synced::Unknown("EPERM".into()));
        assert_eq!(unknown.status, Status::Warn);
        assert!(unknown.detail.contains("EPERM"));
    }

    #[test]
    fn the_kernel_answers_without_privileges() {
        // This machine's own state, whatever it is: asking must not fail or need root.
        assert!(!matches!(kernel_synced(), Synced::Unknown(_)));
    }
}
