//! The service day: numbering and "call next" belong to it. The day moves on with the
//! clock but never back (the Pi has no clock battery); when it moves on, tickets an
//! earlier day left open are closed as "not seen". Staff can open the next day by hand
//! when the clock is wrong. When the clock, set at last, moves the day on, tickets still
//! open that a clock known to be behind issued are today's: they move to the new day with
//! their numbers (see `carry`), the others are closed.

#[path = "carry.rs"]
mod carry;

use super::sql::{args, Db};
use super::StoreError;
use crate::clock::Clock;
use crate::core::queue;
use chrono::NaiveDate;

fn last_used(db: &dyn Db) -> Result<Option<NaiveDate>, StoreError> {
    let last = db.query_opt("SELECT value FROM settings WHERE key = 'service_day'", &[])?;
    Ok(last.map(|r| r.text(0)).transpose()?.and_then(|s| s.parse().ok()))
}

/// Makes `day` the service day and closes what earlier days left open; how many closed.
/// With `carry`, the open tickets a clock known to be behind issued move to `day` first.
fn begin(db: &dyn Db, day: NaiveDate, clock: &dyn Clock, carry: bool) -> Result<usize, StoreError> {
    if carry {
        carry::into(db, day, clock)?;
    }
    let day = day.to_string();
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('service_day', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![day.as_str()],
    )?;
    let closed = db.execute(
        "UPDATE tickets SET status = 'not_seen', finished_at = ?2, rev = rev + 1
         WHERE status IN ('waiting', 'called', 'in_service') AND service_day < ?1",
        args![day.as_str(), clock.now_ms()],
    )?;
    db.execute("DELETE FROM calls WHERE service_day < ?1", args![day.as_str()])?;
    Ok(closed)
}

/// Today's service day (inside the caller's transaction), moving on if the clock has.
pub fn current(db: &dyn Db, clock: &dyn Clock) -> Result<NaiveDate, StoreError> {
    let last = last_used(db)?;
    let day = queue::service_day(last, clock.today());
    if last != Some(day) {
        begin(db, day, clock, true)?;
    }
    Ok(day)
}

/// A new service day opened by hand: today by the clock, or the day after the last one
/// used if the clock is behind. Returns the day and how many tickets were closed.
/// Inside the caller's transaction.
pub fn open_next(db: &dyn Db, clock: &dyn Clock) -> Result<(NaiveDate, usize), StoreError> {
    let last = last_used(db)?;
    let day = match last {
        Some(last) if clock.today() <= last => last.succ_opt().unwrap_or(last),
        _ => clock.today(),
    };
    let closed = begin(db, day, clock, false)?;
    Ok((day, closed))
}
