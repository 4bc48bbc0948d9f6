//! What state the printer is in, from its real-time status replies (`DLE EOT n`, bytes
//! `10 04 n`), as the Epson ESC/POS reference defines them. Each reply byte has bit 1 and
//! bit 4 on and bits 0 and 7 off; the other bits mean:
//!
//! - n = 1, printer status: bit 3 offline;
//! - n = 2, offline cause: bit 2 cover open, bit 5 printing stopped at paper end,
//!   bit 6 error (n = 3 would tell which error: all of them leave the printer offline,
//!   which n = 1 already says, so it is not asked);
//! - n = 4, roll paper sensor: bits 2 and 3 paper near its end, bits 5 and 6 paper end.

use super::transport::Port;
use std::time::Duration;

pub use crate::health::PrinterState;

/// The real-time status request `DLE EOT n`.
pub fn query(n: u8) -> [u8; 3] {
    [0x10, 0x04, n]
}

/// What the replies said so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub offline: bool,
    pub cover_open: bool,
    pub paper_end_stop: bool,
    pub error: bool,
    pub paper_near_end: bool,
    pub paper_end: bool,
}

impl Status {
    /// Takes the reply to `DLE EOT n` (n = 1, 2 or 4); false if `reply` is not a status
    /// byte (its fixed bits are wrong) or `n` is not one of those.
    pub fn take(&mut self, n: u8, reply: u8) -> bool {
        if reply & 0b1001_0011 != 0b0001_0010 {
            return false;
        }
        let bit = |b: u8| reply & (1 << b) != 0;
        match n {
            1 => self.offline = bit(3),
            2 => {
                self.cover_open = bit(2);
                self.paper_end_stop = bit(5);
                self.error = bit(6);
            }
            4 => {
                self.paper_near_end = bit(2) || bit(3);
                self.paper_end = bit(5) || bit(6);
            }
            _ => return false,
        }
        true
    }

    /// The one state to show: what staff must do first comes first.
    pub fn state(&self) -> PrinterState {
        if self.cover_open {
            PrinterState::CoverOpen
        } else if self.paper_end_stop || self.paper_end {
            PrinterState::PaperOut
        } else if self.offline || self.error {
            PrinterState::Offline
        } else if self.paper_near_end {
            PrinterState::PaperLow
        } else {
            PrinterState::Ready
        }
    }
}

/// The reply a printer in `state` gives to `DLE EOT n` (the simulated printer's answers).
pub fn reply_of(state: PrinterState, n: u8) -> Option<u8> {
    let base = 0b0001_0010;
    let (offline, cause, paper) = match state {
        PrinterState::Ready => (false, 0, 0),
        PrinterState::PaperLow => (false, 0, 0x0c),
        PrinterState::PaperOut => (true, 0x20, 0x6c),
        PrinterState::CoverOpen => (true, 0x04, 0),
        PrinterState::Offline => (true, 0x40, 0),
        PrinterState::Unknown | PrinterState::NotConfigured => return None,
    };
    match n {
        1 => Some(base | if offline { 0x08 } else { 0 }),
        2 => Some(base | cause),
        4 => Some(base | paper),
        _ => None,
    }
}

/// Asks the printer behind `port` (n = 1, 2, 4), each reply awaited at most `timeout`.
/// No reply, or a byte that is not a status, gives `Unknown` at once (no further waits);
/// a port that cannot reach the printer at all gives the error.
pub fn ask(port: &mut dyn Port, timeout: Duration) -> std::io::Result<PrinterState> {
    let mut status = Status::default();
    for n in [1, 2, 4] {
        match port.ask(&query(n), timeout)? {
            Some(reply) if status.take(n, reply) => {}
            _ => return Ok(PrinterState::Unknown),
        }
    }
    Ok(status.state())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_of(replies: [u8; 3]) -> PrinterState {
        let mut s = Status::default();
        for (n, r) in [1, 2, 4].into_iter().zip(replies) {
            assert!(s.take(n, r), "{r:#04x} is a status byte");
        }
        s.state()
    }

    #[test]
    fn dle_eot_replies_mean_what_the_epson_reference_says() {
        // 0x12: the fixed bits alone (online, cover shut, paper present).
        assert_eq!(state_of([0x12, 0x12, 0x12]), PrinterState::Ready);
        // n=4 bits 2-3: near end; the printer goes on printing.
        assert_eq!(state_of([0x12, 0x12, 0x1e]), PrinterState::PaperLow);
        // n=1 bit 3 offline, n=2 bit 5 paper-end stop, n=4 bits 5-6 (and 2-3) paper end.
        assert_eq!(state_of([0x1a, 0x32, 0x7e]), PrinterState::PaperOut);
        // n=2 bit 2: cover open (comes first: closing it is what to do).
        assert_eq!(state_of([0x1a, 0x36, 0x12]), PrinterState::CoverOpen);
        // Offline without a cause we know, or with the error bit.
        assert_eq!(state_of([0x1a, 0x12, 0x12]), PrinterState::Offline);
        assert_eq!(state_of([0x12, 0x52, 0x12]), PrinterState::Offline);
        // The drawer pin (n=1 bit 2) and the feed button (n=1 bit 6) change nothing.
        assert_eq!(state_of([0x56, 0x12, 0x12]), PrinterState::Ready);
    }

    #[test]
    fn bytes_that_are_not_status_replies_are_refused() {
        let mut s = Status::default();
        for wrong in [0x00, 0xff, 0x13, 0x92, 0x02, 0x10, b'A'] {
            assert!(!s.take(1, wrong), "{wrong:#04x}");
        }
        assert!(!s.take(3, 0x12), "n = 3 is not asked");
        assert_eq!(query(4), [0x10, 0x04, 0x04]);
    }

    #[test]
    fn simulated_replies_read_back_as_their_state() {
        for state in [
            PrinterState::Ready,
            PrinterState::PaperLow,
            PrinterState::PaperOut,
            PrinterState::CoverOpen,
            PrinterState::Offline,
        ] {
            let replies = [1, 2, 4].map(|n| reply_of(state, n).unwrap_or(0));
            assert_eq!(state_of(replies), state);
            assert_eq!(PrinterState::from_word(state.word()), Some(state));
        }
        assert_eq!(PrinterState::from_word(" ready\n"), Some(PrinterState::Ready));
        assert_eq!(PrinterState::from_word("jammed"), None);
        let json = serde_json::to_string(&PrinterState::PaperLow).unwrap_or_default();
        assert_eq!(json, "\"paper-low\"");
        assert!(PrinterState::PaperOut.to_string().contains("papier"));
    }
}
