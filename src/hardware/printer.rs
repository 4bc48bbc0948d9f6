//! The `TicketPrinter` port: prints one paper ticket and says how it went. Each ticket
//! asks the printer's state before (paper out, cover open or offline: nothing is sent),
//! sends the ESC/POS bytes, and asks again after; the outcome carries the state after, for
//! the staff console, and why a ticket did not come out, for the visitor ("remember your
//! number"). Printing runs after the ticket is committed, on its own thread: a printer
//! that fails never loses a ticket. The simulated printer (`FolderPrinter`) writes the
//! bytes and a PNG preview to a folder and reads its state from a `status` file there.

use super::escpos::{self, Layout, PaperTicket, QrMode};
use super::printer_status::{self, PrinterState};
use super::receipt_png;
use super::transport::{Job, Port};
use std::path::PathBuf;
use std::time::Duration;

/// How long one status reply may take.
pub const STATUS_TIMEOUT: Duration = Duration::from_millis(500);

/// Why a ticket did not come out (whole).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "why", content = "detail")]
pub enum NotPrinted {
    PaperOut,
    CoverOpen,
    Offline,
    /// The bytes could not be handed over: the message says where and why.
    Io(String),
}

impl NotPrinted {
    fn from_state(state: PrinterState) -> Option<NotPrinted> {
        match state {
            PrinterState::PaperOut => Some(NotPrinted::PaperOut),
            PrinterState::CoverOpen => Some(NotPrinted::CoverOpen),
            PrinterState::Offline => Some(NotPrinted::Offline),
            _ => None,
        }
    }
}

impl std::fmt::Display for NotPrinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotPrinted::PaperOut => f.write_str("plus de papier"),
            NotPrinted::CoverOpen => f.write_str("capot ouvert"),
            NotPrinted::Offline => f.write_str("imprimante hors ligne"),
            NotPrinted::Io(e) => write!(f, "envoi impossible ({e})"),
        }
    }
}

/// What happened to one ticket at the printer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PrintOutcome {
    /// The state asked before sending.
    pub before: PrinterState,
    /// The receipt's size in bytes.
    pub bytes: usize,
    /// Whether every byte was handed to the printer.
    pub sent: bool,
    /// The state after the ticket: what the staff console shows.
    pub state: PrinterState,
    /// Why the ticket did not come out whole, if it did not.
    pub failure: Option<NotPrinted>,
}

impl PrintOutcome {
    /// The ticket came out (as far as the printer tells).
    pub fn printed(&self) -> bool {
        self.failure.is_none()
    }
}

pub trait TicketPrinter: Send {
    /// Prints one ticket, asking the state before and after.
    fn print(&mut self, ticket: &PaperTicket) -> PrintOutcome;
    /// Asks the state only.
    fn state(&mut self) -> PrinterState;
    /// Where the printer is and what paper it has, for people.
    fn describe(&self) -> String;
}

/// Asks the state; a port that cannot reach the printer means it is offline.
fn state_of(port: &mut dyn Port, timeout: Duration) -> (PrinterState, Option<std::io::Error>) {
    match printer_status::ask(port, timeout) {
        Ok(state) => (state, None),
        Err(e) => (PrinterState::Offline, Some(e)),
    }
}

/// Status, bytes, status: the one printing sequence every printer follows.
pub fn print_through(port: &mut dyn Port, layout: &Layout, timeout: Duration, ticket: &PaperTicket) -> PrintOutcome {
    let bytes = escpos::receipt(ticket, layout);
    let (before, unreachable) = state_of(port, timeout);
    let mut outcome = PrintOutcome { before, bytes: bytes.len(), sent: false, state: before, failure: None };
    if let Some(e) = unreachable {
        outcome.failure = Some(NotPrinted::Io(e.to_string()));
    } else if let Some(why) = NotPrinted::from_state(before) {
        outcome.failure = Some(why);
    } else {
        let sent = port.send(&Job { name: &ticket.number, bytes: &bytes, layout });
        if sent.is_err() {
            port.close();
        }
        // A printer that never answers is not asked again (it would only cost the timeout).
        let (after, _) = if before == PrinterState::Unknown && sent.is_ok() {
            (PrinterState::Unknown, None)
        } else {
            state_of(port, timeout)
        };
        outcome.sent = sent.is_ok();
        outcome.state = after;
        outcome.failure = match (NotPrinted::from_state(after), sent) {
            (Some(why), _) => Some(why),
            (None, Err(e)) => Some(NotPrinted::Io(e.to_string())),
            (None, Ok(())) => None,
        };
    }
    port.close();
    outcome
}

fn describe(port: &dyn Port, layout: &Layout) -> String {
    let mm = match layout.paper {
        escpos::Paper::Mm58 => 58,
        escpos::Paper::Mm80 => 80,
    };
    let qr = match layout.qr {
        QrMode::Native => "drawn by the printer",
        QrMode::Raster => "sent as an image",
    };
    format!("{}, {mm} mm paper, QR code {qr}", port.describe())
}

/// An ESC/POS printer on any port, with its paper and status timeout.
pub struct EscPosPrinter {
    port: Box<dyn Port>,
    layout: Layout,
    timeout: Duration,
}

impl EscPosPrinter {
    pub fn new(port: Box<dyn Port>, layout: Layout, timeout: Duration) -> EscPosPrinter {
        EscPosPrinter { port, layout, timeout }
    }
}

impl TicketPrinter for EscPosPrinter {
    fn print(&mut self, ticket: &PaperTicket) -> PrintOutcome {
        print_through(self.port.as_mut(), &self.layout, self.timeout, ticket)
    }

    fn state(&mut self) -> PrinterState {
        let (state, _) = state_of(self.port.as_mut(), self.timeout);
        self.port.close();
        state
    }

    fn describe(&self) -> String {
        describe(self.port.as_ref(), &self.layout)
    }
}

/// Simulated printer: each ticket's bytes land in a folder (`<data>/printer/C-042.escpos`)
/// with a preview (`C-042.png`). Its state is the word in `<folder>/status` (`ok`,
/// `paper-low`, `paper-out`, `cover-open`, `offline`; no file: ready; another word: no
/// reply). On its own it has 80 mm paper; in an `EscPosPrinter` it has the configured one.
pub struct FolderPrinter(pub PathBuf);

impl FolderPrinter {
    fn status_word(&self) -> std::io::Result<Option<String>> {
        match std::fs::read_to_string(self.0.join("status")) {
            Ok(word) => Ok(Some(word)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Letters, digits and dashes of `name` (a ticket number names files).
    fn file_stem(name: &str) -> String {
        let stem: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        if stem.is_empty() {
            "ticket".into()
        } else {
            stem
        }
    }
}

impl Port for FolderPrinter {
    fn send(&mut self, job: &Job) -> std::io::Result<()> {
        let dir = &self.0;
        let io = |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let stem = Self::file_stem(job.name);
        // Written aside then renamed, so a reader never sees half a ticket.
        let part = dir.join(format!(".{stem}.escpos.part"));
        std::fs::write(&part, job.bytes).map_err(io)?;
        std::fs::rename(&part, dir.join(format!("{stem}.escpos"))).map_err(io)?;
        let png = dir.join(format!("{stem}.png"));
        if let Err(e) = receipt_png::write_png(job.bytes, job.layout.paper.dots(), &png) {
            eprintln!("guichet: no preview of ticket {}: {e}", job.name);
        }
        Ok(())
    }

    fn ask(&mut self, query: &[u8], _timeout: Duration) -> std::io::Result<Option<u8>> {
        let state = match self.status_word()? {
            None => Some(PrinterState::Ready),
            Some(word) => PrinterState::from_word(&word),
        };
        Ok(match (state, query) {
            (Some(state), [0x10, 0x04, n]) => printer_status::reply_of(state, *n),
            _ => None,
        })
    }

    fn describe(&self) -> String {
        format!("simulated, in {}", self.0.display())
    }
}

impl TicketPrinter for FolderPrinter {
    fn print(&mut self, ticket: &PaperTicket) -> PrintOutcome {
        print_through(self, &Layout::default(), STATUS_TIMEOUT, ticket)
    }

    fn state(&mut self) -> PrinterState {
        state_of(self, STATUS_TIMEOUT).0
    }

    fn describe(&self) -> String {
        describe(self, &Layout::default())
    }
}
