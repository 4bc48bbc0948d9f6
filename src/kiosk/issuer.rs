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
use crate::store::{SiteState, Store, StoreError};
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
                self.check_site();
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
        self.check_site();
    }

    /// On a site's kiosk with a local series: a lasting fault while the site's database is
    /// away or its tickets are not yet handed over (banner, title, LED), gone after.
    fn check_site(&self) {
        match self.store.site_state() {
            Some(s) if s.away_since.is_some() || s.waiting_hand_over > 0 => self.health.fault("site", site_away(&s)),
            Some(_) => self.health.fixed("site"),
            None => {}
        }
    }
}

/// What staff read while the site's database is away (in French, for the console).
pub(crate) fn site_away(s: &SiteState) -> String {
    let since = s.away_since.and_then(chrono::DateTime::from_timestamp_millis);
    let since = since.map(|t| t.with_timezone(&chrono::Local).format(" depuis %H:%M").to_string());
    let series = s.series.as_deref().unwrap_or("?");
    let held = match s.waiting_hand_over {
        0 => "aucun ticket en attente".to_string(),
        1 => "1 ticket en attente".to_string(),
        n => format!("{n} tickets en attente"),
    };
    match &since {
        Some(since) => format!(
            "la base commune du site ne répond pas{since} : cette borne numérote ses tickets dans sa série {series} \
             ({held}), que les autres postes ne voient pas encore ; ils rejoindront la file commune dès le retour du lien."
        ),
        None => format!("le lien avec la base commune est revenu : {held} de la série {series} à lui remettre."),
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

    #[test]
    fn staff_are_told_where_the_tickets_go_while_the_site_is_away() {
        let away = SiteState { away_since: Some(0), waiting_hand_over: 2, series: Some("E".into()), problem: None };
        let said = site_away(&away);
        assert!(said.contains("ne répond pas depuis") && said.contains("série E (2 tickets en attente)"), "{said}");
        let back = SiteState { away_since: None, ..away };
        assert!(site_away(&back).contains("revenu"), "{}", site_away(&back));
    }
}
