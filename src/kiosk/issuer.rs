//! The "issuer" thread: commits each ticket, tells the UI, then prints it. Between
//! tickets it asks the printer its state once a minute, so a roll running low or a cover
//! left open shows in the staff console before the next visitor finds it. Everything it
//! learns goes to `Health`.

use super::ticket::{self, IssueContext};
use super::Done;
use crate::core::catalogue::Catalogue;
use crate::core::journey::TicketRequest;
use crate::hardware::printer::TicketPrinter;
use crate::health::Health;
use crate::store::{Store, StoreError};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often an idle kiosk asks its printer how it is.
pub const PRINTER_CHECK: Duration = Duration::from_secs(60);

pub struct Issuer {
    pub store: Store,
    pub cat: Arc<Catalogue>,
    pub ctx: IssueContext,
    pub printer: Option<Box<dyn TicketPrinter>>,
    pub health: Health,
}

impl Issuer {
    fn issue(&mut self, req: &TicketRequest, notify: &(dyn Fn(Done) + Send + Sync)) {
        match ticket::issue(&self.store, &self.cat, &self.ctx, req) {
            Ok((issued, view)) => {
                self.health.fixed("disk");
                let paper = ticket::paper(&self.cat, &self.ctx, req, &view, issued.issued_at);
                notify(Done::Issued(Box::new(view), self.printer.is_some()));
                if let Some(p) = self.printer.as_mut() {
                    self.health.printing(true);
                    let outcome = ticket::print(p.as_mut(), &paper);
                    self.health.printing(false);
                    self.health.printer(outcome.state);
                    if let Some(why) = &outcome.failure {
                        self.health.error(format!("ticket {} non imprimé : {why}", paper.number));
                    }
                    notify(Done::Printed(outcome.printed()));
                }
            }
            Err(e) => {
                eprintln!("guichet: ticket not issued: {e}");
                // Lasts until a ticket is saved again (space freed): banner and LED.
                self.health.fault("disk", not_saved(&e));
                notify(Done::Failed);
            }
        }
    }

    fn check_printer(&mut self) {
        if let Some(p) = self.printer.as_mut() {
            self.health.printer(p.state());
        }
    }
}

/// Why no ticket could be saved, and what staff do about it (in French, for the console).
fn not_saved(e: &StoreError) -> String {
    use rusqlite::ErrorCode;
    let code = match e {
        StoreError::Sqlite(e) => e.sqlite_error_code(),
        _ => None,
    };
    match code {
        Some(ErrorCode::DiskFull) => "le disque de la borne est plein : aucun ticket ne peut être enregistré. \
            Libérez de la place (sudo journalctl --vacuum-size=50M) : la borne reprend seule au ticket suivant."
            .into(),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::SystemIoFailure) => format!(
            "la borne ne peut plus écrire sur son disque ({e}) : aucun ticket ne peut être enregistré. \
             Redémarrez la borne ; si cela revient, la carte SD s'use : remplacez-la."
        ),
        _ => format!("ticket non enregistré : {e}"),
    }
}

pub fn spawn(mut issuer: Issuer, notify: Arc<dyn Fn(Done) + Send + Sync>) -> mpsc::Sender<TicketRequest> {
    let (tx, rx) = mpsc::channel::<TicketRequest>();
    let spawned = std::thread::Builder::new().name("issuer".into()).spawn(move || {
        issuer.check_printer();
        loop {
            match rx.recv_timeout(PRINTER_CHECK) {
                Ok(req) => issuer.issue(&req, notify.as_ref()),
                Err(mpsc::RecvTimeoutError::Timeout) => issuer.check_printer(),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    });
    if let Err(e) = spawned {
        eprintln!("guichet: cannot start the issuer thread: {e}");
    }
    tx
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn failure(code: std::ffi::c_int) -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    /// A read-only file system cannot be made under a running kiosk here (Linux refuses to
    /// remount while SQLite holds its files open for writing): the words are checked from
    /// SQLite's codes; the full disk is made for real in tests/integration/degraded_disk.rs.
    #[test]
    fn staff_are_told_what_stopped_the_tickets_and_what_to_do() {
        assert!(not_saved(&failure(ffi::SQLITE_FULL)).contains("plein"));
        for code in [ffi::SQLITE_READONLY, ffi::SQLITE_IOERR, ffi::SQLITE_PERM] {
            let said = not_saved(&failure(code));
            assert!(said.contains("ne peut plus écrire") && said.contains("carte SD"), "{code}: {said}");
        }
        assert!(not_saved(&StoreError::NotFound).starts_with("ticket non enregistré"));
    }
}
