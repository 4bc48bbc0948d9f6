//! The read side: queries that run on any connection, and a pool of read-only ones.

use super::StoreError;
use crate::core::lang::Lang;
use crate::core::queue::{Status, Waiting};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One ticket as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub number: String,
    /// The queue it is served in now (moved there, or issued in).
    pub queue: char,
    pub service_day: String,
    pub token: String,
    pub lang: Lang,
    pub theme: String,
    pub procedure: String,
    pub have: Vec<String>,
    pub priority: Option<String>,
    pub status: Status,
    pub desk: Option<String>,
    pub outcome: Option<String>,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    /// Raised by every change: a page acts only if the ticket is still as it showed it.
    pub rev: i64,
    /// Times called (a first call and the recalls).
    pub calls: u32,
    pub redirect_to: Option<String>,
    pub autonomy: Option<String>,
}

/// `queue` is where the ticket is served now: the queue it was moved to, if any.
const COLUMNS: &str =
    "id, number, COALESCE(moved_to, queue), service_day, token, lang, theme, procedure, have, priority,
                       status, desk, outcome, issued_at, called_at, rev, calls, redirect_to, autonomy";

fn ticket(r: &Row<'_>) -> rusqlite::Result<TicketRow> {
    let queue: String = r.get(2)?;
    let lang: String = r.get(5)?;
    let have: String = r.get(8)?;
    let status: String = r.get(10)?;
    Ok(TicketRow {
        id: r.get(0)?,
        number: r.get(1)?,
        queue: queue.chars().next().unwrap_or('?'),
        service_day: r.get(3)?,
        token: r.get(4)?,
        lang: Lang::from_code(&lang).unwrap_or_default(),
        theme: r.get(6)?,
        procedure: r.get(7)?,
        have: serde_json::from_str(&have).unwrap_or_default(),
        priority: r.get(9)?,
        status: Status::parse(&status).unwrap_or(Status::Cancelled),
        desk: r.get(11)?,
        outcome: r.get(12)?,
        issued_at: r.get(13)?,
        called_at: r.get(14)?,
        rev: r.get(15)?,
        calls: r.get(16)?,
        redirect_to: r.get(17)?,
        autonomy: r.get(18)?,
    })
}

pub fn ticket_by_id(conn: &Connection, id: i64) -> Result<Option<TicketRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], ticket).optional()?)
}

pub fn ticket_by_token(conn: &Connection, token: &str) -> Result<Option<TicketRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE token = ?1");
    Ok(conn.query_row(&sql, [token], ticket).optional()?)
}

/// Open tickets (waiting, called, in service) in calling order: uses the partial index,
/// so it stays fast however long the history grows.
pub fn open_tickets(conn: &Connection) -> Result<Vec<TicketRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets WHERE status IN ('waiting', 'called', 'in_service')
         ORDER BY status = 'waiting', priority IS NULL, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], ticket)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Waiting tickets as the ordering rule needs them.
pub fn waiting(conn: &Connection, queue: Option<char>) -> Result<Vec<Waiting>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, priority IS NOT NULL FROM tickets
         WHERE status = 'waiting' AND (?1 IS NULL OR COALESCE(moved_to, queue) = ?1) ORDER BY id",
    )?;
    let rows = stmt
        .query_map([queue.map(String::from)], |r| Ok(Waiting { id: r.get(0)?, priority: r.get(1)?, order: r.get(0)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How long each visit finished on `day` in `queue` took, start to finish (ms); a visit
/// the clock made negative or longer than a day (it jumped meanwhile) is left out.
pub fn service_times(conn: &Connection, day: &str, queue: char) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT finished_at - started_at FROM tickets
         WHERE service_day = ?1 AND COALESCE(moved_to, queue) = ?2 AND status = 'done'
           AND finished_at - started_at BETWEEN 0 AND 86400000",
    )?;
    let rows = stmt.query_map(rusqlite::params![day, queue.to_string()], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Read-only connections, opened on demand and reused.
#[derive(Clone)]
pub struct ReadPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl ReadPool {
    pub fn new(path: PathBuf) -> ReadPool {
        ReadPool { path, idle: Arc::new(Mutex::new(Vec::new())) }
    }

    /// Runs `f` on a read-only connection (blocking: call from a worker thread).
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let pooled = self.idle.lock().ok().and_then(|mut v| v.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                c
            }
        };
        let result = f(&conn);
        if let Ok(mut v) = self.idle.lock() {
            v.push(conn);
        }
        result
    }
}
