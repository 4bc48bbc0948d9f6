//! The write side: every function here runs on the storage thread, in one transaction.

use super::read::{self, TicketRow};
use super::StoreError;
use crate::clock::Clock;
use crate::core::journey::TicketRequest;
use crate::core::queue::{self, Action, Status};
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// A ticket just committed, with what the visitor needs to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    pub id: i64,
    pub number: String,
    pub token: String,
    pub queue: char,
    pub service_day: String,
    /// Open tickets that will be called before this one.
    pub ahead: usize,
    pub issued_at: i64,
}

/// 128 random bits, hex: the only thing the QR code carries.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn issue(conn: &mut Connection, req: &TicketRequest, clock: &dyn Clock) -> Result<IssuedTicket, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let last: Option<String> =
        tx.query_row("SELECT value FROM settings WHERE key = 'service_day'", [], |r| r.get(0)).optional()?;
    let last = last.and_then(|s| s.parse().ok());
    let day = queue::service_day(last, clock.today()).to_string();
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('service_day', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&day],
    )?;
    let prefix = req.queue.to_string();
    let seq: u32 = tx.query_row(
        "INSERT INTO counters (queue, service_day, last_seq) VALUES (?1, ?2, 1)
         ON CONFLICT (queue, service_day) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
        params![prefix, day],
        |r| r.get(0),
    )?;
    let waiting = read::waiting(&tx, Some(req.queue))?;
    let ahead = queue::ahead_of_new(&waiting, req.priority.is_some());
    let number = queue::format_number(req.queue, seq);
    let token = new_token();
    let issued_at = clock.now_ms();
    let have = serde_json::to_string(&req.have).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO tickets (number, queue, seq, service_day, token, lang, theme, procedure, have,
                              priority, status, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'waiting', ?11)",
        params![
            number,
            prefix,
            seq,
            day,
            token,
            req.lang.code(),
            req.theme,
            req.procedure,
            have,
            req.priority,
            issued_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(IssuedTicket { id, number, token, queue: req.queue, service_day: day, ahead, issued_at })
}

pub fn act(
    conn: &mut Connection,
    clock: &dyn Clock,
    id: i64,
    action: Action,
    desk: Option<&str>,
    outcome: Option<&str>,
) -> Result<TicketRow, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row = read::ticket_by_id(&tx, id)?.ok_or(StoreError::NotFound)?;
    let to = queue::transition(row.status, action)?;
    let now = clock.now_ms();
    let column = match to {
        Status::Called => Some("called_at"),
        Status::InService => Some("started_at"),
        Status::Done | Status::NoShow | Status::Cancelled => Some("finished_at"),
        Status::Waiting => None,
    };
    tx.execute(
        "UPDATE tickets SET status = ?2, desk = COALESCE(?3, desk), outcome = COALESCE(?4, outcome)
         WHERE id = ?1",
        params![id, to.as_str(), desk, outcome],
    )?;
    if let Some(column) = column {
        tx.execute(&format!("UPDATE tickets SET {column} = ?2 WHERE id = ?1"), params![id, now])?;
    }
    let row = read::ticket_by_id(&tx, id)?.ok_or(StoreError::NotFound)?;
    tx.commit()?;
    Ok(row)
}

pub fn call_next(
    conn: &mut Connection,
    clock: &dyn Clock,
    desk: &str,
    queue: Option<char>,
) -> Result<TicketRow, StoreError> {
    let next = {
        let waiting = read::waiting(conn, queue)?;
        queue::next_in_line(&waiting).map(|w| w.id)
    };
    let id = next.ok_or(StoreError::NobodyWaiting)?;
    act(conn, clock, id, Action::Call, Some(desk), None)
}
