//! A kiosk's local series: while the site's PostgreSQL cannot be reached (the server
//! restarting, the office network cut), a kiosk of a site still gives tickets, numbered in
//! a series the site gave it (`[site] local_series = "E"`: E-A-001 is "EA-001"), kept in a
//! SQLite file beside it, and hands them to the site's queue once the link is back, with
//! the time each visitor came (the queue is in arrival order), nothing lost: a ticket
//! leaves the local file only after the site committed it, and a ticket the site already
//! has (a crash between the two) is not given twice (its token is unique there).
//!
//! Its ticket's `seq` in the site's database is below zero, -(series × 100 000 + its
//! number), so that it never meets a number of the site's own series (`UNIQUE (service_day,
//! queue, seq)`) nor another kiosk's local series.

use super::sql::{args, Value};
use super::write::{self, IssuedTicket};
use super::writer::Writer;
use super::{notify, open, DomainEvent, StoreError};
use crate::clock::Clock;
use crate::core::journey::TicketRequest;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How long issuing stays local after the link failed, before trying the site again on a
/// visitor's ticket (the idle retries try it sooner): a cut network costs a visitor the
/// connection's timeout once, not at every ticket.
pub(super) const STAY_LOCAL: std::time::Duration = std::time::Duration::from_secs(30);

/// What staff are told about the link (the kiosk's health page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteState {
    /// When the link was found lost (ms since the epoch); `None` while it works.
    pub away_since: Option<i64>,
    /// Tickets of the local series not yet in the site's queue.
    pub waiting_hand_over: usize,
    /// The series this kiosk numbers in while the link is lost.
    pub series: Option<String>,
    /// Why the last hand-over failed, when one did for another reason than the link.
    pub problem: Option<String>,
}

/// The columns a ticket takes with it to the site's queue.
const COLUMNS: &str =
    "number, queue, seq, service_day, token, lang, theme, procedure, have, priority, status, issued_at, follow_hash";

pub(super) struct LocalSeries {
    series: String,
    path: PathBuf,
    writer: Option<Writer>,
    /// Tickets here, once counted.
    held: Option<usize>,
    pub state: Arc<Mutex<SiteState>>,
}

impl LocalSeries {
    pub fn new(series: String, path: PathBuf, state: Arc<Mutex<SiteState>>) -> LocalSeries {
        if let Ok(mut s) = state.lock() {
            s.series = Some(series.clone());
        }
        LocalSeries { series, path, writer: None, held: None, state }
    }

    fn writer(&mut self) -> Result<&mut Writer, StoreError> {
        if self.writer.is_none() {
            self.writer = Some(Writer::Sqlite(open::for_writing(&self.path)?));
        }
        self.writer.as_mut().ok_or(StoreError::Closed)
    }

    /// A ticket of the local series, committed in the local file.
    pub fn issue(&mut self, request: &TicketRequest, clock: &dyn Clock) -> Result<IssuedTicket, StoreError> {
        let series = self.series.clone();
        let ticket = self.writer()?.tx(|db| write::issue_in(db, request, clock, Some(&series)))?;
        self.count()?;
        Ok(ticket)
    }

    /// Whether tickets wait to be handed over (opens the local file only if it exists).
    pub fn has_waiting(&mut self) -> bool {
        if self.held.is_none() && self.writer.is_none() && !self.path.exists() {
            self.held = Some(0);
        }
        match self.held {
            Some(n) => n > 0,
            None => self.count().is_ok_and(|n| n > 0),
        }
    }

    fn count(&mut self) -> Result<usize, StoreError> {
        let n = self.writer()?.tx(|db| Ok(db.query_one("SELECT count(*) FROM tickets", &[])?.int(0)?))?;
        let n = usize::try_from(n).unwrap_or(0);
        self.held = Some(n);
        if let Ok(mut s) = self.state.lock() {
            s.waiting_hand_over = n;
        }
        Ok(n)
    }

    /// Hands every local ticket to the site's queue in one of its transactions, then
    /// forgets them here; the events of the tickets the site did not have yet.
    pub fn hand_over(&mut self, site: &mut Writer, origin: u64) -> Result<Vec<DomainEvent>, StoreError> {
        let code = series_code(&self.series);
        let rows =
            self.writer()?.tx(|db| Ok(db.query(&format!("SELECT id, {COLUMNS} FROM tickets ORDER BY id"), &[])?))?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let events = site.tx(|db| {
            let mut events = Vec::new();
            for row in &rows {
                let values = ticket_values(row, code)?;
                let inserted = db.query(
                    &format!(
                        "INSERT INTO tickets ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                         ON CONFLICT (token) DO NOTHING RETURNING id, number"
                    ),
                    &values,
                )?;
                for r in inserted {
                    events.push(DomainEvent::TicketIssued { id: r.int(0)?, number: r.text(1)? });
                }
            }
            notify::announce(db, origin, &events)?;
            Ok(events)
        })?;
        let last = rows.last().map(|r| r.int(0)).transpose()?.unwrap_or(0);
        self.writer()?.tx(|db| Ok(db.execute("DELETE FROM tickets WHERE id <= ?1", args![last])?))?;
        self.count()?;
        Ok(events)
    }
}

/// A local ticket's row as the site's insert takes it: its `seq` moved below zero.
fn ticket_values(row: &super::sql::Row, code: i64) -> Result<Vec<Value>, StoreError> {
    let seq = row.int(3)?;
    Ok(vec![
        row.text(1)?.into(),
        row.text(2)?.into(),
        Value::from(-(code * 100_000 + seq)),
        row.text(4)?.into(),
        row.text(5)?.into(),
        row.text(6)?.into(),
        row.text(7)?.into(),
        row.text(8)?.into(),
        row.text(9)?.into(),
        row.opt_text(10)?.into(),
        row.text(11)?.into(),
        Value::from(row.int(12)?),
        row.opt_text(13)?.into(),
    ])
}

/// The series as a number (its letters and digits in base 36): two kiosks' series never
/// share their `seq` values.
pub fn series_code(series: &str) -> i64 {
    series.chars().filter_map(|c| c.to_digit(36)).fold(0, |n, d| n * 36 + i64::from(d))
}
