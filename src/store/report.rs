//! What the activity report reads, and the purge of visitor-level details.
//!
//! The purge (daily, and `guichet purge`) keeps, per service day, how many tickets had each
//! language and each priority reason, then blanks those details and what the visitor had
//! with them on tickets closed before the retention limit. The board's calls of those days
//! (their language) go too. Numbers, themes, procedures, times and outcomes stay: they are
//! about the service, not about the person.

use super::sql::{args, Db, Row};
use super::{Pending, StoreError};
use crate::core::lang::Lang;
use crate::core::queue::Status;
use crate::core::report::{Details, Kept, KeptKind, Visit};
use chrono::NaiveDate;

/// Tickets whose details go: closed, still unpurged, of a day before the limit.
const PURGEABLE: &str = "purged = 0 AND service_day < ?1 AND status NOT IN ('waiting', 'called', 'in_service')";

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub tickets: usize,
    pub calls: usize,
    /// Whether the WAL file, which still held the wiped details' old pages, was emptied
    /// (a reader in the middle of a query can keep it; the next purge empties it).
    pub wal_emptied: bool,
}

/// Blanks the details of tickets closed before `before` (their counts are kept first).
pub(super) fn purge_details(db: &dyn Db, before: NaiveDate) -> Result<(usize, usize), StoreError> {
    let before = before.to_string();
    for (kind, column) in [(KeptKind::Language, "lang"), (KeptKind::Priority, "COALESCE(priority, '')")] {
        db.execute(
            &format!(
                "INSERT INTO kept (service_day, kind, value, count)
                 SELECT service_day, ?2, {column}, count(*) FROM tickets WHERE {PURGEABLE}
                 GROUP BY service_day, {column}
                 ON CONFLICT (service_day, kind, value) DO UPDATE SET count = kept.count + excluded.count"
            ),
            args![before.as_str(), kind.as_str()],
        )?;
    }
    let tickets = db.execute(
        &format!("UPDATE tickets SET lang = '', have = '[]', priority = NULL, purged = 1 WHERE {PURGEABLE}"),
        args![before.as_str()],
    )?;
    let calls = db.execute("DELETE FROM calls WHERE service_day < ?1", args![before.as_str()])?;
    Ok((tickets, calls))
}

const VISIT_COLUMNS: &str = "service_day, issued_at, theme, procedure, status, outcome, redirect_to, autonomy,
     lang, priority, purged, first_visit, COALESCE(first_called_at, called_at), started_at, called_at, finished_at";

/// One line per ticket of the days `from..=to` (theme and procedure as ids: the caller
/// names them from the catalogue); `hour_of` gives the local hour of a time in ms.
pub fn visits(
    db: &dyn Db,
    from: NaiveDate,
    to: NaiveDate,
    hour_of: &dyn Fn(i64) -> u8,
) -> Result<Vec<Visit>, StoreError> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM tickets WHERE service_day BETWEEN ?1 AND ?2 ORDER BY service_day");
    db.query(&sql, args![from.to_string(), to.to_string()])?.iter().map(|r| visit(r, hour_of)).collect()
}

fn visit(r: &Row, hour_of: &dyn Fn(i64) -> u8) -> Result<Visit, StoreError> {
    let day = r.text(0)?;
    let issued = r.int(1)?;
    let status = Status::parse(&r.text(4)?).unwrap_or(Status::Cancelled);
    let lang = r.text(8)?;
    let purged = r.bool(10)?;
    let priority = r.opt_text(9)?;
    let first_call = r.opt_int(12)?;
    let (started, called, finished) = (r.opt_int(13)?, r.opt_int(14)?, r.opt_int(15)?);
    // A clock that jumped between the two times (the Pi has no clock battery) can make a
    // span negative or absurd: unknown rather than wrong in the figures.
    let seconds = |from: Option<i64>, to: Option<i64>| {
        from.zip(to).map(|(a, b)| b - a).filter(|ms| (0..=86_400_000).contains(ms)).map(|ms| ms / 1000)
    };
    let served = if status == Status::Done { seconds(started.or(called), finished) } else { None };
    Ok(Visit {
        day: day.parse().unwrap_or_default(),
        hour: hour_of(issued),
        theme: r.text(2)?,
        operator: r.text(3)?,
        status,
        outcome: r.opt_text(5)?,
        redirect_to: r.opt_text(6)?,
        autonomy: r.opt_text(7)?,
        details: (!purged).then(|| Details { lang: Lang::from_code(&lang).unwrap_or_default(), priority }),
        first_visit: r.opt_bool(11)?,
        wait_s: seconds(Some(issued), first_call),
        service_s: served,
    })
}

/// The counts purges kept for the days `from..=to`.
pub fn kept(db: &dyn Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<Kept>, StoreError> {
    let sql = "SELECT service_day, kind, value, count FROM kept WHERE service_day BETWEEN ?1 AND ?2";
    let mut out = Vec::new();
    for r in db.query(sql, args![from.to_string(), to.to_string()])? {
        let (day, kind, value, count) = (r.text(0)?, r.text(1)?, r.text(2)?, r.int(3)?);
        if let (Ok(day), Some(kind)) = (day.parse(), KeptKind::parse(&kind)) {
            out.push(Kept { day, kind, value, count: count.max(0) as u64 });
        }
    }
    Ok(out)
}

impl super::Store {
    /// Purges visitor-level details of the tickets closed more than `days` service days
    /// ago (today's clock), keeping their anonymous counts.
    pub fn purge_details(&self, days: u32) -> Pending<Purged> {
        self.write_raw(move |writer, clock| {
            // More days than the calendar holds: nothing is that old.
            let before = clock.today().checked_sub_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MIN);
            let (tickets, calls) = writer.tx(|db| purge_details(db, before))?;
            // The wiped details' old pages may still be in the database's log: emptied.
            let wal_emptied = writer.settle()?;
            Ok(Purged { tickets, calls, wal_emptied })
        })
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
