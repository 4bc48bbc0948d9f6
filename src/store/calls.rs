//! The waiting-room board's calls, and the board's key. A call is written in the same
//! transaction as the ticket's change, with an id that only grows: a board that has
//! shown call N asks for the calls after N and so never skips one, whatever it missed.

use super::read::TicketRow;
use super::StoreError;
use crate::core::lang::Lang;
use rusqlite::{params, Connection, OptionalExtension, Row};

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

fn call(r: &Row<'_>) -> rusqlite::Result<BoardCall> {
    let lang: String = r.get(4)?;
    Ok(BoardCall {
        id: r.get(0)?,
        at: r.get(1)?,
        number: r.get(2)?,
        desk: r.get(3)?,
        lang: Lang::from_code(&lang).unwrap_or_default(),
    })
}

/// Records that `row` (just called) was called, inside the caller's transaction.
pub(super) fn record(conn: &Connection, row: &TicketRow, at: i64) -> Result<BoardCall, StoreError> {
    let desk = row.desk.clone().unwrap_or_default();
    conn.execute(
        "INSERT INTO calls (at, service_day, ticket, number, desk, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at, row.service_day, row.id, row.number, desk, row.lang.code()],
    )?;
    Ok(BoardCall { id: conn.last_insert_rowid(), at, number: row.number.clone(), desk, lang: row.lang })
}

/// The calls made after call `after`, oldest first, at most `limit`.
pub fn calls_after(conn: &Connection, after: i64, limit: u32) -> Result<Vec<BoardCall>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, at, number, desk, lang FROM calls WHERE id > ?1 ORDER BY id LIMIT ?2")?;
    let rows = stmt.query_map(params![after, limit], call)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest `n` calls, oldest first.
pub fn last_calls(conn: &Connection, n: u32) -> Result<Vec<BoardCall>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, at, number, desk, lang FROM calls ORDER BY id DESC LIMIT ?1")?;
    let mut rows = stmt.query_map([n], call)?.collect::<Result<Vec<_>, _>>()?;
    rows.reverse();
    Ok(rows)
}

/// The key a board's address must carry; `None` until an administrator makes one.
pub fn board_key(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = 'board_key'", [], |r| r.get(0)).optional()?)
}

/// Replaces the board key (the old address stops working).
pub(super) fn set_board_key(conn: &Connection, key: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('board_key', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key],
    )?;
    Ok(())
}
