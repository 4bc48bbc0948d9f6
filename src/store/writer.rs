//! The one write connection of a store, on either database, and how a change runs on it:
//! in one transaction, one writer at a time. On SQLite that is the file's own write lock
//! (an immediate transaction); on PostgreSQL, where every kiosk and desk of a site writes
//! to the same database from its own process, each write transaction first takes the
//! site's advisory lock, so changes happen one after the other exactly as on SQLite: a
//! number given once per day and queue, a ticket called by one desk only, board calls
//! committed in the order of their ids.

use super::sql::{Db, PgDb};
use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// The key of the advisory lock every write transaction takes on PostgreSQL ("guichet" in ASCII).
pub(super) const WRITE_LOCK: i64 = 0x0067_7569_6368_6574;

pub enum Writer {
    Sqlite(Connection),
    /// The connection, and how to make it again when the server dropped it (restarted,
    /// the network cut): the change that finds it closed fails, the next one reconnects
    /// (and checks the schema). `None` until the first connection: a kiosk with a local
    /// series starts while the server is away.
    Postgres(Option<Box<postgres::Client>>, Box<super::SiteLink>),
}

impl Writer {
    /// Runs `change` in one transaction: committed if it returns `Ok`, rolled back if not.
    pub fn tx<T>(&mut self, change: impl FnOnce(&dyn Db) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match self {
            Writer::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let out = change(&*tx)?;
                tx.commit()?;
                Ok(out)
            }
            Writer::Postgres(slot, link) => {
                if slot.as_ref().is_none_or(|c| c.is_closed()) {
                    *slot = None;
                    let mut fresh = link.connect()?;
                    super::schema_pg::migrate(&mut fresh)?;
                    *slot = Some(Box::new(fresh));
                }
                let Some(client) = slot.as_mut() else { return Err(StoreError::Closed) };
                let mut tx = client.transaction()?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
                let db = PgDb::new(tx);
                let out = change(&db)?;
                db.into_inner().commit()?;
                Ok(out)
            }
        }
    }

    /// After a purge: what was wiped leaves the database's log. On SQLite the WAL is
    /// copied into the file and emptied (`secure_delete` zeroed the freed bytes); `false`
    /// when a reader kept it from being emptied. On PostgreSQL the old row versions are
    /// vacuumed (a role that does not own the tables is skipped with the server's warning:
    /// the site's autovacuum does it then).
    pub fn settle(&mut self) -> Result<bool, StoreError> {
        match self {
            Writer::Sqlite(conn) => {
                let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
                Ok(busy == 0)
            }
            Writer::Postgres(client, _) => {
                Ok(client.as_mut().is_some_and(|c| c.batch_execute("VACUUM tickets, calls").is_ok()))
            }
        }
    }
}
