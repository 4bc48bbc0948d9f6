//! Tickets a clock known to be behind issued, carried into the day the clock, once set,
//! moves to. The Pi may start in 1970 (or at the time last saved) and take visitors before
//! the network sets its clock: those visitors are waiting today, so their tickets are not
//! closed with the earlier day. They keep their numbers, the new day's counters start
//! above them (a number never repeats within a day), and their times move on by how far
//! the clock jumped, as far as the database can tell: the last time recorded among them
//! becomes now, so their waits stay plausible (a little short, never 56 years).

use super::super::sql::{args, Db};
use super::super::StoreError;
use crate::clock::{was_behind, Clock};
use chrono::NaiveDate;

/// The columns moved on with the clock (NULL stays NULL).
const TIMES: [&str; 4] = ["issued_at", "called_at", "first_called_at", "started_at"];

struct Open {
    id: i64,
    day: NaiveDate,
    issued_at: i64,
    latest: i64,
}

/// Moves the open tickets of earlier days that a clock behind issued into `day`; how many.
pub(super) fn into(db: &dyn Db, day: NaiveDate, clock: &dyn Clock) -> Result<usize, StoreError> {
    let greatest = db.dialect().greatest();
    let open = db.query(
        &format!(
            "SELECT id, service_day, issued_at,
                    {greatest}(issued_at, COALESCE(called_at, 0), COALESCE(first_called_at, 0), COALESCE(started_at, 0))
             FROM tickets WHERE status IN ('waiting', 'called', 'in_service') AND service_day < ?1"
        ),
        args![day.to_string()],
    )?;
    let mut behind = Vec::new();
    for r in &open {
        let ticket = Open {
            id: r.int(0)?,
            day: r.text(1)?.parse().unwrap_or_default(),
            issued_at: r.int(2)?,
            latest: r.int(3)?,
        };
        if was_behind(clock, ticket.issued_at, ticket.day, day) {
            behind.push(ticket);
        }
    }
    let Some(latest) = behind.iter().map(|t| t.latest).max() else { return Ok(0) };
    let shift = (clock.now_ms() - latest).max(0);
    let moved = TIMES.map(|c| format!("{c} = {c} + ?3")).join(", ");
    let day = day.to_string();
    for ticket in &behind {
        db.execute(
            &format!("UPDATE tickets SET service_day = ?2, rev = rev + 1, {moved} WHERE id = ?1"),
            args![ticket.id, day.as_str(), shift],
        )?;
        db.execute(
            "UPDATE calls SET service_day = ?2, at = at + ?3 WHERE ticket = ?1",
            args![ticket.id, day.as_str(), shift],
        )?;
    }
    // Grouped by both columns it selects (PostgreSQL wants every one grouped).
    db.execute(
        &format!(
            "INSERT INTO counters (queue, service_day, last_seq)
             SELECT queue, service_day, max(seq) FROM tickets WHERE service_day = ?1 GROUP BY queue, service_day
             ON CONFLICT (queue, service_day) DO UPDATE SET last_seq = {greatest}(counters.last_seq, excluded.last_seq)"
        ),
        args![day.as_str()],
    )?;
    Ok(behind.len())
}
