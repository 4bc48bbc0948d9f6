//! The kiosk's health, as the staff console shows it: how long it has run, the printer's
//! last known state, whether speech works, and the last error. The kiosk writes it (the
//! issuer thread after each ticket and each printer check, the speech thread when the
//! engine fails); the console reads a snapshot. In memory only: a restart starts clean,
//! and the journal keeps the history. The printer's state as staff need it
//! (`PrinterState`) is defined here: the hardware reports it, and health imports no
//! hardware.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// Something that went wrong, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: SystemTime,
    pub what: String,
}

/// What the console shows about speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechHealth {
    /// This kiosk does not speak (no speech engine in the build, or the console runs alone).
    Absent,
    Working,
    /// The engine failed: the kiosk shows text only until it restarts.
    Lost(String),
}

/// One reading of the kiosk's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub version: &'static str,
    pub uptime: Duration,
    /// `None`: no kiosk in this process (`guichet serve`), so nothing is known.
    pub printer: Option<PrinterState>,
    /// When the printer's state was last asked.
    pub printer_checked: Option<SystemTime>,
    /// A ticket is being printed now.
    pub printing: bool,
    pub speech: SpeechHealth,
    pub last_error: Option<Problem>,
    /// Faults that last until someone fixes them (the site's catalogue refused at start,
    /// the console's port taken, the disk full), one per part, oldest first.
    pub faults: Vec<Fault>,
}

/// A lasting fault: which part, what is wrong and what to do, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// "catalogue", "console", "disk"...
    pub part: &'static str,
    pub problem: Problem,
}

impl Snapshot {
    /// The printer needs someone now (paper low or out, cover open, offline).
    pub fn printer_alert(&self) -> bool {
        self.printer.is_some_and(|s| s == PrinterState::PaperLow || s.stops_printing())
    }
}

#[derive(Debug)]
struct State {
    printer: Option<PrinterState>,
    printer_checked: Option<SystemTime>,
    printing: bool,
    speech: SpeechHealth,
    last_error: Option<Problem>,
    faults: Vec<Fault>,
}

/// Shared between the kiosk's threads and the console: clone it freely.
#[derive(Debug, Clone)]
pub struct Health {
    started: Instant,
    state: Arc<Mutex<State>>,
}

impl Default for Health {
    fn default() -> Self {
        Health::new()
    }
}

impl Health {
    pub fn new() -> Health {
        Health {
            started: Instant::now(),
            state: Arc::new(Mutex::new(State {
                printer: None,
                printer_checked: None,
                printing: false,
                speech: SpeechHealth::Absent,
                last_error: None,
                faults: Vec::new(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The printer's state, just asked (before or after a ticket, or by the periodic check).
    pub fn printer(&self, state: PrinterState) {
        let mut s = self.lock();
        s.printer = Some(state);
        s.printer_checked = Some(SystemTime::now());
    }

    pub fn printing(&self, now: bool) {
        self.lock().printing = now;
    }

    pub fn speech(&self, speech: SpeechHealth) {
        self.lock().speech = speech;
    }

    /// Records a problem; the newest replaces the one before.
    pub fn error(&self, what: impl Into<String>) {
        self.lock().last_error = Some(Problem { at: SystemTime::now(), what: what.into() });
    }

    /// Records a lasting fault of `part` (replacing its earlier one; its start time kept
    /// while it lasts) and makes it the last error too.
    pub fn fault(&self, part: &'static str, what: impl Into<String>) {
        let what = what.into();
        let mut s = self.lock();
        let now = Problem { at: SystemTime::now(), what: what.clone() };
        match s.faults.iter_mut().find(|f| f.part == part) {
            Some(f) => f.problem.what = what,
            None => s.faults.push(Fault { part, problem: now.clone() }),
        }
        s.last_error = Some(now);
    }

    /// `part` works again.
    pub fn fixed(&self, part: &str) {
        self.lock().faults.retain(|f| f.part != part);
    }

    pub fn snapshot(&self) -> Snapshot {
        let s = self.lock();
        Snapshot {
            version: env!("CARGO_PKG_VERSION"),
            uptime: self.started.elapsed(),
            printer: s.printer,
            printer_checked: s.printer_checked,
            printing: s.printing,
            speech: s.speech.clone(),
            last_error: s.last_error.clone(),
            faults: s.faults.clone(),
        }
    }
}

/// The printer as staff need to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrinterState {
    Ready,
    /// Still printing; the roll needs changing soon.
    PaperLow,
    PaperOut,
    CoverOpen,
    /// Stopped, in error, or not reachable.
    Offline,
    /// The printer does not answer status queries (or cannot: a one-way USB printer).
    Unknown,
    /// No printer in the configuration.
    NotConfigured,
}

impl PrinterState {
    /// A ticket sent in this state would not come out (or not whole).
    pub fn stops_printing(self) -> bool {
        matches!(self, PrinterState::PaperOut | PrinterState::CoverOpen | PrinterState::Offline)
    }

    /// The word the simulated printer's `status` file holds for this state.
    pub fn word(self) -> &'static str {
        match self {
            PrinterState::Ready => "ok",
            PrinterState::PaperLow => "paper-low",
            PrinterState::PaperOut => "paper-out",
            PrinterState::CoverOpen => "cover-open",
            PrinterState::Offline => "offline",
            PrinterState::Unknown => "unknown",
            PrinterState::NotConfigured => "none",
        }
    }

    /// The state a `status` file's word names (`ok`, `paper-low`, `paper-out`,
    /// `cover-open`, `offline`; `ready` too).
    pub fn from_word(word: &str) -> Option<PrinterState> {
        let word = word.trim();
        if word == "ready" {
            return Some(PrinterState::Ready);
        }
        [
            PrinterState::Ready,
            PrinterState::PaperLow,
            PrinterState::PaperOut,
            PrinterState::CoverOpen,
            PrinterState::Offline,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }
}

impl std::fmt::Display for PrinterState {
    /// In plain French, for the staff console and the technician.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PrinterState::Ready => "Imprimante prête",
            PrinterState::PaperLow => "Papier presque fini : préparez un rouleau",
            PrinterState::PaperOut => "Plus de papier : changez le rouleau",
            PrinterState::CoverOpen => "Capot ouvert : refermez-le",
            PrinterState::Offline => "Imprimante hors ligne (éteinte, débranchée ou en erreur)",
            PrinterState::Unknown => "État de l'imprimante inconnu (elle ne répond pas)",
            PrinterState::NotConfigured => "Pas d'imprimante configurée",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_kiosk_knows_nothing_bad() {
        let h = Health::new();
        let s = h.snapshot();
        assert_eq!((s.printer, s.speech.clone(), s.last_error.clone()), (None, SpeechHealth::Absent, None));
        assert!(!s.printer_alert());
    }

    #[test]
    fn paper_low_and_faults_raise_the_alert_and_the_last_error_wins() {
        let h = Health::new();
        let seen = h.clone();
        h.printer(PrinterState::Ready);
        assert!(!seen.snapshot().printer_alert());
        for state in [PrinterState::PaperLow, PrinterState::PaperOut, PrinterState::CoverOpen, PrinterState::Offline] {
            h.printer(state);
            assert!(seen.snapshot().printer_alert(), "{state:?}");
        }
        h.printer(PrinterState::Unknown);
        assert!(!seen.snapshot().printer_alert());
        h.error("first");
        h.error("second");
        assert_eq!(seen.snapshot().last_error.map(|p| p.what).as_deref(), Some("second"));
        assert!(seen.snapshot().printer_checked.is_some());
    }

    #[test]
    fn a_fault_lasts_until_fixed_one_per_part() {
        let h = Health::new();
        h.fault("disk", "plein");
        h.fault("catalogue", "erreur ligne 3");
        h.fault("disk", "toujours plein");
        let s = h.snapshot();
        let faults: Vec<(&str, &str)> = s.faults.iter().map(|f| (f.part, f.problem.what.as_str())).collect();
        assert_eq!(faults, [("disk", "toujours plein"), ("catalogue", "erreur ligne 3")]);
        assert_eq!(s.last_error.map(|p| p.what).as_deref(), Some("toujours plein"));
        h.fixed("disk");
        assert_eq!(h.snapshot().faults.len(), 1);
    }
}
