//! The waiting-room board's calls, and the board's key. A call is written in the same
//! transaction as the ticket's change, with an id that only grows: a board that has
//! shown call N asks for the calls after N and so never skips one, whatever it missed.

use super::read::TicketRow;
use super::sql::{args, Db, Row};
use super::StoreError;
use crate::core::lang::Lang;

/// One call of a ticket to a desk, as the board shows and says it (nothing else about
/// the visitor than the language to say it in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCall {
    pub id: i64,
    pub at: i64,
    pub number: String,
    pub desk: String,
    pub lang: Lang,
}

/// How many calls a board shows (the one being announced and the ones before).
pub const SHOWN: u32 = 6;

fn call(r: &Row) -> Result<BoardCall, StoreError> {
    Ok(BoardCall {
        id: r.int(0)?,
        at: r.int(1)?,
        number: r.text(2)?,
        desk: r.text(3)?,
        lang: Lang::from_code(&r.text(4)?).unwrap_or_default(),
    })
}

/// Records that `row` (just called) was called, inside the caller's transaction.
pub(super) fn record(db: &dyn Db, row: &TicketRow, at: i64) -> Result<BoardCall, StoreError> {
    let desk = row.desk.clone().unwrap_or_default();
    let id = db
        .query_one(
            "INSERT INTO calls (at, service_day, ticket, number, desk, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             RETURNING id",
            args![at, &row.service_day, row.id, &row.number, desk.as_str(), row.lang.code()],
        )?
        .int(0)?;
    Ok(BoardCall { id, at, number: row.number.clone(), desk, lang: row.lang })
}

/// The calls made after call `after`, oldest first, at most `limit`.
pub fn calls_after(db: &dyn Db, after: i64, limit: u32) -> Result<Vec<BoardCall>, StoreError> {
    let sql = "SELECT id, at, number, desk, lang FROM calls WHERE id > ?1 ORDER BY id LIMIT ?2";
    db.query(sql, args![after, limit])?.iter().map(call).collect()
}

/// The newest `n` calls, oldest first.
pub fn last_calls(db: &dyn Db, n: u32) -> Result<Vec<BoardCall>, StoreError> {
    let sql = "SELECT id, at, number, desk, lang FROM calls ORDER BY id DESC LIMIT ?1";
    let mut rows = db.query(sql, args![n])?.iter().map(call).collect::<Result<Vec<_>, _>>()?;
    rows.reverse();
    Ok(rows)
}

/// The key a board's address must carry; `None` until an administrator makes one.
pub fn board_key(db: &dyn Db) -> Result<Option<String>, StoreError> {
    Ok(db.query_opt("SELECT value FROM settings WHERE key = 'board_key'", &[])?.map(|r| r.text(0)).transpose()?)
}

/// Replaces the board key (the old address stops working).
pub(super) fn set_board_key(db: &dyn Db, key: &str) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('board_key', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![key],
    )?;
    Ok(())
}
