//! Each `guichet doctor` check runs on a thread of its own under a time limit: a part that
//! never answers (speech-dispatcher accepting the connection and then silent, a printer
//! port, a failing SD card) becomes a FAIL line naming the part and what to do, and the
//! report goes on. A check out of time is abandoned, its thread left behind: it ends with
//! the process when `main` returns (the threads of a Rust program do not keep it alive).

use super::doctor_line::{Line, Status};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long each kind of check may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Reading files, sysfs and /proc, a socket on this machine.
    pub quick: Duration,
    /// The data folder and the database (opened, migrated, integrity-checked).
    pub disk: Duration,
    /// The printer's answer to DLE EOT.
    pub printer: Duration,
    /// speech-dispatcher: connecting (it lists its voices first: several seconds on a busy
    /// Pi 4, 15 s in the virtual appliance test; up to three tries while the kiosk starts
    /// its own), then the test phrase (4 s) said.
    pub speech: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            quick: Duration::from_secs(5),
            disk: Duration::from_secs(60),
            printer: Duration::from_secs(10),
            speech: Duration::from_secs(45),
        }
    }
}

/// A check as its time-out line names it.
#[derive(Debug, Clone)]
pub struct Part {
    pub part: &'static str,
    pub limit: Duration,
    /// Who did not answer: "speech-dispatcher", "the printer (Serial /dev/ttyUSB0)".
    pub who: String,
    /// What the technician does about it.
    pub fix: &'static str,
}

impl Part {
    pub fn new(part: &'static str, limit: Duration, who: impl Into<String>, fix: &'static str) -> Part {
        Part { part, limit, who: who.into(), fix }
    }
}

/// `check`'s lines, or a FAIL line for `part` when it has not answered within its limit
/// (or stopped without an answer).
pub fn within(part: Part, check: impl FnOnce() -> Vec<Line> + Send + 'static) -> Vec<Line> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name(format!("doctor {}", part.part)).spawn(move || {
        let _ = tx.send(check());
    });
    if let Err(e) = spawned {
        return vec![Line::new(Status::Fail, part.part, format!("cannot start its check: {e}"))];
    }
    let detail = match rx.recv_timeout(part.limit) {
        Ok(lines) => return lines,
        Err(RecvTimeoutError::Timeout) => {
            format!("{} did not answer within {}: {}", part.who, shown(part.limit), part.fix)
        }
        Err(RecvTimeoutError::Disconnected) => {
            "its check stopped without an answer (a fault in guichet: report it with this output)".into()
        }
    };
    vec![Line::new(Status::Fail, part.part, detail)]
}

/// "8 s", "250 ms".
fn shown(limit: Duration) -> String {
    match limit.subsec_millis() {
        0 => format!("{} s", limit.as_secs()),
        _ => format!("{} ms", limit.as_millis()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn speech(limit: Duration) -> Part {
        Part::new("speech", limit, "speech-dispatcher", "restart it, or check the sound card: aplay -l")
    }

    #[test]
    fn a_check_that_never_returns_fails_within_its_limit() {
        let started = Instant::now();
        // As speech-dispatcher accepting the connection and never answering: blocks for ever.
        let (_keep, never) = mpsc::channel::<()>();
        let lines = within(speech(Duration::from_millis(300)), move || {
            let _ = never.recv();
            vec![Line::new(Status::Pass, "speech", "said")]
        });
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(3), "{waited:?}");
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].status, lines[0].part), (Status::Fail, "speech"));
        assert_eq!(
            lines[0].detail,
            "speech-dispatcher did not answer within 300 ms: restart it, or check the sound card: aplay -l"
        );
        // A check sleeping for ever is abandoned the same way.
        let lines = within(speech(Duration::from_millis(100)), || loop {
            std::thread::sleep(Duration::from_secs(3600));
        });
        assert_eq!(lines[0].status, Status::Fail);
    }

    #[test]
    fn a_check_in_time_gives_its_own_lines() {
        let lines = within(speech(Duration::from_secs(5)), || {
            vec![Line::new(Status::Warn, "speech", "off"), Line::new(Status::Pass, "sound", "card 0")]
        });
        let got: Vec<(Status, &str)> = lines.iter().map(|l| (l.status, l.detail.as_str())).collect();
        assert_eq!(got, [(Status::Warn, "off"), (Status::Pass, "card 0")]);
    }

    #[test]
    fn a_check_that_panics_is_a_fail_not_a_hang() {
        let lines = within(speech(Duration::from_secs(5)), || panic!("bug"));
        assert_eq!(lines[0].status, Status::Fail);
        assert!(lines[0].detail.contains("stopped without an answer"), "{:?}", lines[0]);
    }

    #[test]
    fn limits_read_in_seconds_or_milliseconds() {
        assert_eq!(shown(Duration::from_secs(12)), "12 s");
        assert_eq!(shown(Duration::from_millis(1500)), "1500 ms");
    }
}
