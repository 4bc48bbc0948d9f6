//! The read side: queries that run on any connection, and a pool of read-only ones.

use super::sql::{args, Db, PgDb, Row};
use super::StoreError;
use crate::core::lang::Lang;
use crate::core::queue::{Status, Waiting};
use rusqlite::{Connection, OpenFlags};
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

fn ticket(r: &Row) -> Result<TicketRow, StoreError> {
    let queue = r.text(2)?;
    let have = r.text(8)?;
    Ok(TicketRow {
        id: r.int(0)?,
        number: r.text(1)?,
        queue: queue.chars().next().unwrap_or('?'),
        service_day: r.text(3)?,
        token: r.text(4)?,
        lang: Lang::from_code(&r.text(5)?).unwrap_or_default(),
        theme: r.text(6)?,
        procedure: r.text(7)?,
        have: serde_json::from_str(&have).unwrap_or_default(),
        priority: r.opt_text(9)?,
        status: Status::parse(&r.text(10)?).unwrap_or(Status::Cancelled),
        desk: r.opt_text(11)?,
        outcome: r.opt_text(12)?,
        issued_at: r.int(13)?,
        called_at: r.opt_int(14)?,
        rev: r.int(15)?,
        calls: r.count(16)?,
        redirect_to: r.opt_text(17)?,
        autonomy: r.opt_text(18)?,
    })
}

pub fn ticket_by_id(db: &dyn Db, id: i64) -> Result<Option<TicketRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1");
    db.query_opt(&sql, args![id])?.as_ref().map(ticket).transpose()
}

pub fn ticket_by_token(db: &dyn Db, token: &str) -> Result<Option<TicketRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE token = ?1");
    db.query_opt(&sql, args![token])?.as_ref().map(ticket).transpose()
}

/// A ticket's place in arrival order: twice its id (ids are given in commit order, whatever
/// the clocks say), or, for a ticket of a kiosk's local series handed over once the site
/// was back (`seq` below zero, `series.rs`), just before the first ticket the site gave
/// after it that day, else just after the site's last ticket that day (by the times the
/// kiosks' clocks wrote: the only witness there is). Local tickets sharing a place keep
/// the order of those times (`ARRIVAL_TIES`), not the order their kiosks came back in: a
/// test saw two kiosks' tickets swapped when the second kiosk handed over first.
const ARRIVAL: &str = "CASE WHEN t.seq >= 0 THEN 2 * t.id ELSE COALESCE(
       (SELECT 2 * min(s.id) - 1 FROM tickets s
         WHERE s.seq >= 0 AND s.service_day = t.service_day AND s.issued_at > t.issued_at),
       (SELECT 2 * max(s.id) + 1 FROM tickets s WHERE s.seq >= 0 AND s.service_day = t.service_day),
       2 * t.id) END";
/// What orders tickets of one place: their issue times, then their ids.
const ARRIVAL_TIES: &str = "t.issued_at, t.id";

/// Open tickets (waiting, called, in service) in calling order: uses the partial index,
/// so it stays fast however long the history grows.
pub fn open_tickets(db: &dyn Db) -> Result<Vec<TicketRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets t WHERE status IN ('waiting', 'called', 'in_service')
         ORDER BY status = 'waiting', priority IS NULL, {ARRIVAL}, {ARRIVAL_TIES}"
    );
    db.query(&sql, &[])?.iter().map(ticket).collect()
}

/// Waiting tickets as the ordering rule needs them.
pub fn waiting(db: &dyn Db, queue: Option<char>) -> Result<Vec<Waiting>, StoreError> {
    let rows = db.query(
        &format!(
            "SELECT id, priority IS NOT NULL, row_number() OVER (ORDER BY {ARRIVAL}, {ARRIVAL_TIES}) AS arrival
             FROM tickets t WHERE status = 'waiting' AND (?1 IS NULL OR COALESCE(moved_to, queue) = ?1)
             ORDER BY arrival"
        ),
        args![queue.map(String::from)],
    )?;
    rows.iter().map(|r| Ok(Waiting { id: r.int(0)?, priority: r.bool(1)?, order: r.int(2)? })).collect()
}

/// How long each visit finished on `day` in `queue` took, start to finish (ms); a visit
/// the clock made negative or longer than a day (it jumped meanwhile) is left out.
pub fn service_times(db: &dyn Db, day: &str, queue: char) -> Result<Vec<i64>, StoreError> {
    let rows = db.query(
        "SELECT finished_at - started_at FROM tickets
         WHERE service_day = ?1 AND COALESCE(moved_to, queue) = ?2 AND status = 'done'
           AND finished_at - started_at BETWEEN 0 AND 86400000",
        args![day, queue.to_string()],
    )?;
    Ok(rows.iter().map(|r| r.int(0)).collect::<Result<_, _>>()?)
}

/// Read-only connections, opened on demand and reused: to the SQLite file, or to the
/// site's PostgreSQL.
#[derive(Clone)]
pub struct ReadPool {
    source: Source,
    idle: Arc<Mutex<IdleList>>,
}

/// The connections waiting in a pool. Closing a PostgreSQL client blocks on a small
/// runtime of its own, which panics (and aborts, in a destructor) inside tokio's: a
/// console's server dropped its store's last pool there when it stopped. The last
/// pool's idle site clients are closed on a thread of their own instead.
#[derive(Default)]
struct IdleList(Vec<Idle>);

impl Drop for IdleList {
    fn drop(&mut self) {
        let site: Vec<Idle> = self.0.drain(..).filter(|c| matches!(c, Idle::Site(_))).collect();
        if !site.is_empty() {
            let _ = std::thread::Builder::new().name("site-close".into()).spawn(move || drop(site));
        }
    }
}

#[derive(Clone)]
enum Source {
    File(PathBuf),
    Site(Box<super::SiteLink>),
}

enum Idle {
    File(Connection),
    Site(Box<postgres::Client>),
}

impl ReadPool {
    pub fn new(path: PathBuf) -> ReadPool {
        ReadPool { source: Source::File(path), idle: Arc::default() }
    }

    pub(super) fn postgres(link: super::SiteLink) -> ReadPool {
        ReadPool { source: Source::Site(Box::new(link)), idle: Arc::default() }
    }

    fn connect(&self) -> Result<Idle, StoreError> {
        match &self.source {
            Source::File(path) => {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(Idle::File(c))
            }
            Source::Site(link) => Ok(Idle::Site(Box::new(link.connect()?))),
        }
    }

    /// Runs `f` on a read-only connection (blocking: call from a worker thread).
    pub fn with<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let pooled = self.idle.lock().ok().and_then(|mut v| v.0.pop());
        let (result, back) = match pooled.map_or_else(|| self.connect(), Ok)? {
            Idle::File(conn) => (f(&conn), Some(Idle::File(conn))),
            Idle::Site(client) => {
                let db = PgDb::new(*client);
                let result = f(&db);
                let client = db.into_inner();
                // A connection the server closed is not kept.
                (result, (!client.is_closed()).then(|| Idle::Site(Box::new(client))))
            }
        };
        if let (Some(conn), Ok(mut v)) = (back, self.idle.lock()) {
            v.0.push(conn);
        }
        result
    }
}
