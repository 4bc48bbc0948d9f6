//! Durable storage: SQLite on a lone kiosk (the default, nothing else to run), or the
//! site's PostgreSQL shared by its kiosks and desks. One thread owns this process's only
//! write connection and runs the commands sent to it, each in one transaction
//! ([`writer`]); readers use their own connections. The queries are written once for both
//! databases ([`sql`]). Every change is published as a [`DomainEvent`] on a broadcast
//! channel.

mod accounts;
mod backup;
mod calls;
mod day;
mod follow;
pub mod link;
pub mod network;
mod notify;
mod open;
mod read;
mod report;
pub mod schema;
mod schema_pg;
mod series;
pub mod site_cert;
pub mod sql;
mod worker;
mod write;
mod writer;

pub use accounts::{
    accounts, audit_log, audit_page, staff, staff_by_id, staff_names, AccountSummary, AuditEntry, AuditPage,
    AuditPlace, Role, StaffAccount,
};
pub use calls::{board_key, calls_after, last_calls, BoardCall, SHOWN};
pub use follow::{follow_hash, follow_ticket, is_follow_token, service_day_now, FollowTicket};
pub use link::SiteLink;
pub use read::{open_tickets, ticket_by_id, ticket_by_token, ReadPool, TicketRow};
pub use report::{kept as report_kept, visits as report_visits, Purged};
pub use series::SiteState;
pub use write::{Audit, Change, IssuedTicket};

use crate::clock::{Clock, SystemClock};
use crate::core::help::{HelpCall, HelpError};
use crate::core::journey::TicketRequest;
use crate::core::queue::{Status, TransitionError};
use sql::Db;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use tokio::sync::{broadcast, oneshot};
use writer::Writer;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database error: {}", with_causes(.0))]
    Postgres(#[from] postgres::Error),
    /// A row that does not hold what the store wrote there.
    #[error("column {index} of a row read back is not {wanted}")]
    Column { index: usize, wanted: &'static str },
    #[error("the database was written by a newer guichet (schema {found}, this one knows {known}): install the newer version or restore a backup")]
    NewerSchema { found: i64, known: i64 },
    #[error("no such ticket")]
    NotFound,
    #[error("nobody is waiting")]
    NobodyWaiting,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("the ticket changed since the page showed it")]
    Changed,
    #[error("called {calls} time(s): absent may be noted after {needed} calls")]
    TooFewCalls { calls: u32, needed: u32 },
    #[error("the account \"{0}\" already exists")]
    DuplicateStaff(String),
    #[error("\"{0}\" is the only administrator: make another account administrator first")]
    LastAdmin(String),
    #[error(transparent)]
    Help(#[from] HelpError),
    #[error("the storage thread has stopped")]
    Closed,
    #[error("{0}: {1}")]
    File(PathBuf, #[source] std::io::Error),
    /// The database at `path` cannot be used as it is (found when opening it): what is
    /// wrong, and what to do (the fix names the file; callers name it before the problem).
    #[error("{problem}\n    fix: {fix}")]
    Unusable { path: PathBuf, problem: String, fix: String },
    /// The database refused what this role asked (its rights): what, and what to do.
    #[error("{problem}\n    fix: {fix}")]
    Refused { problem: String, fix: String },
}

impl From<sql::DbError> for StoreError {
    fn from(e: sql::DbError) -> StoreError {
        match e {
            sql::DbError::Sqlite(e) => StoreError::Sqlite(e),
            sql::DbError::Postgres(e) => StoreError::Postgres(e),
            sql::DbError::Column { index, wanted } => StoreError::Column { index, wanted },
        }
    }
}

/// An error and what caused it, in one line ("error performing TLS handshake: invalid
/// peer certificate: UnknownIssuer"): what a technician needs to see.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text = format!("{text}: {c}");
        cause = c.source();
    }
    text
}

/// What happened, for the console, the board and the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainEvent {
    TicketIssued {
        id: i64,
        number: String,
    },
    TicketChanged {
        id: i64,
        number: String,
        status: Status,
        desk: Option<String>,
    },
    /// A kiosk calls for someone (the Help screen); answered, or the visit ended.
    HelpCalled {
        id: u64,
        kiosk: String,
    },
    HelpAnswered {
        id: u64,
        kiosk: String,
    },
    HelpCancelled {
        id: u64,
        kiosk: String,
    },
    /// A ticket was called to a desk (also published as `TicketChanged`): for the board.
    Called(BoardCall),
    /// The site's listener was cut and is back: what other processes did meanwhile was not
    /// heard, so consoles and boards read the queue again.
    Resync,
    /// Staff opened a new service day by hand; `closed` tickets were left open.
    DayOpened {
        day: String,
        closed: usize,
    },
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

enum Command {
    Issue(TicketRequest, Reply<IssuedTicket>),
    Act {
        id: i64,
        change: Change,
        reply: Reply<TicketRow>,
    },
    CallNext {
        desk: String,
        queue: Option<char>,
        audit: Option<Audit>,
        reply: Reply<TicketRow>,
    },
    /// Any other change, run on the storage thread (accounts, audit log).
    Run(Job),
    CallHelp {
        kiosk: String,
        screen: String,
        reply: Reply<HelpCall>,
    },
    AnswerHelp {
        id: u64,
        reply: Reply<HelpCall>,
    },
    CancelHelp {
        kiosk: String,
    },
    OpenHelp(Reply<Vec<HelpCall>>),
    /// What another process of the site did with a call for help (`notify::HelpSync`).
    SiteHelp(notify::HelpSync),
}

/// A change run on the storage thread, with its connection and clock.
type Job = Box<dyn FnOnce(&mut Writer, &dyn Clock) + Send>;

/// A cheap, clonable handle to the storage thread.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Command>,
    events: broadcast::Sender<DomainEvent>,
    path: PathBuf,
    /// The site's PostgreSQL (its connection settings), when the queue is shared there.
    site: Option<SiteLink>,
    /// This store's name in the site's announcements (random: one per process and store).
    origin: u64,
    /// How the site's link stands, with a local series (`[site] local_series`).
    site_state: Option<Arc<std::sync::Mutex<SiteState>>>,
    /// Held by every handle: the site listener stops once the last one is gone.
    _alive: Arc<()>,
}

/// The reply to a command: wait for it from a worker thread, or `.await` it.
pub struct Pending<T>(oneshot::Receiver<Result<T, StoreError>>);

impl<T> Pending<T> {
    /// Blocks the calling thread (never the UI thread) until the command is done.
    pub fn wait(self) -> Result<T, StoreError> {
        self.0.blocking_recv().map_err(|_| StoreError::Closed)?
    }
}

impl<T: Send + 'static> std::future::IntoFuture for Pending<T> {
    type Output = Result<T, StoreError>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.0.await.map_err(|_| StoreError::Closed)? })
    }
}

impl Store {
    /// Opens (creating or migrating) the database and starts the storage thread.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_clock(path, Arc::new(SystemClock))
    }

    /// As [`Store::open`], with a chosen clock (tests move the date by hand).
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        let conn = open::for_writing(path)?;
        Store::start(Writer::Sqlite(conn), clock, path.to_path_buf(), None, None)
    }

    /// Opens (creating or migrating) the site's queue on PostgreSQL: `conninfo` is a
    /// libpq connection string or URL. `local` is where this process keeps its own files
    /// (the console's certificate beside it, as beside the SQLite file).
    pub fn open_postgres(conninfo: &str, local: &Path, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        Store::open_site(SiteLink::new(conninfo, None)?, local, clock, None)
    }

    /// As [`Store::open_postgres`], over a link made already (TLS with the site's
    /// authority); with `series`, tickets are numbered in it while the site is away
    /// (`series::LocalSeries`, kept in a file beside `local`).
    pub fn open_site(
        link: SiteLink,
        local: &Path,
        clock: Arc<dyn Clock>,
        series: Option<&str>,
    ) -> Result<Store, StoreError> {
        // Without a local series the site must answer now; with one, a kiosk started while
        // the server is away gives tickets in its series and connects later.
        let client = match link.connect().and_then(|mut c| schema_pg::migrate(&mut c).map(|_| c)) {
            Ok(client) => Some(Box::new(client)),
            Err(e) if series.is_none() || !worker::link_lost(&e) => return Err(e),
            Err(_) => None,
        };
        let writer = Writer::Postgres(client, Box::new(link.clone()));
        let series = series.map(|s| {
            let state = Arc::new(std::sync::Mutex::new(SiteState::default()));
            series::LocalSeries::new(s.to_string(), local.with_extension("series.sqlite"), state)
        });
        Store::start(writer, clock, local.to_path_buf(), Some(link), series)
    }

    /// How the site's link stands, on a site's kiosk with a local series.
    pub fn site_state(&self) -> Option<SiteState> {
        self.site_state.as_ref().and_then(|s| s.lock().ok().map(|s| s.clone()))
    }

    fn start(
        writer: Writer,
        clock: Arc<dyn Clock>,
        path: PathBuf,
        site: Option<SiteLink>,
        local: Option<series::LocalSeries>,
    ) -> Result<Store, StoreError> {
        let (tx, rx) = mpsc::channel();
        let (events, _) = broadcast::channel(1024);
        let origin = rand::random::<u64>();
        let alive = Arc::new(());
        let spawn = |name: &str, body: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new().name(name.into()).spawn(body).map_err(|e| StoreError::File(path.clone(), e))
        };
        let site_state = local.as_ref().map(|l| l.state.clone());
        let connected = !matches!(writer, Writer::Postgres(None, _));
        let worker = worker::Worker { writer, events: events.clone(), clock, origin, local };
        spawn("store", Box::new(move || worker::run(worker, rx)))?;
        if let Some(config) = site.clone() {
            let (events, alive) = (events.clone(), Arc::downgrade(&alive));
            let (ready, listening) = mpsc::channel();
            let commands = tx.clone();
            spawn("store-site", Box::new(move || notify::listen(config, origin, events, commands, alive, ready)))?;
            // The writer just connected: the listener will too, at once.
            if connected {
                let _ = listening.recv_timeout(std::time::Duration::from_secs(10));
            }
        }
        Ok(Store { tx, events, path, site, origin, site_state, _alive: alive })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.events.subscribe()
    }

    /// A pool of read-only connections to the same database.
    pub fn reader(&self) -> ReadPool {
        match &self.site {
            Some(config) => ReadPool::postgres(config.clone()),
            None => ReadPool::new(self.path.clone()),
        }
    }

    fn send<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Pending<T> {
        let (reply, rx) = oneshot::channel();
        // If the thread is gone the reply sender is dropped and the caller sees `Closed`.
        let _ = self.tx.send(make(reply));
        Pending(rx)
    }

    /// Issues a ticket: one transaction, durable when this resolves.
    pub fn issue(&self, request: TicketRequest) -> Pending<IssuedTicket> {
        self.send(|reply| Command::Issue(request, reply))
    }

    /// Applies a staff action to one ticket.
    pub fn act(&self, id: i64, change: Change) -> Pending<TicketRow> {
        self.send(|reply| Command::Act { id, change, reply })
    }

    /// Opens the next service day by hand (the clock is wrong, or the day is over):
    /// numbering restarts and what is still open is closed as "not seen".
    pub fn open_day(&self) -> Pending<(chrono::NaiveDate, usize)> {
        let (events, origin) = (self.events.clone(), self.origin);
        self.write(move |db, clock| {
            let (day, closed) = day::open_next(db, clock)?;
            let opened = DomainEvent::DayOpened { day: day.to_string(), closed };
            notify::announce(db, origin, std::slice::from_ref(&opened))?;
            let _ = events.send(opened);
            Ok((day, closed))
        })
    }

    /// Makes a new board key (the board's old address stops working) and returns it.
    pub fn new_board_key(&self) -> Pending<String> {
        self.write(|db, _| {
            let key = write::new_token();
            calls::set_board_key(db, &key)?;
            Ok(key)
        })
    }

    /// Calls the next visitor (priority first) to `desk`, optionally from one queue.
    pub fn call_next(&self, desk: String, queue: Option<char>) -> Pending<TicketRow> {
        self.send(|reply| Command::CallNext { desk, queue, audit: None, reply })
    }

    /// As [`Store::call_next`], with the audit entry written in the call's transaction.
    pub fn call_next_by(&self, desk: String, queue: Option<char>, audit: Audit) -> Pending<TicketRow> {
        self.send(|reply| Command::CallNext { desk, queue, audit: Some(audit), reply })
    }

    /// Runs `change` on the storage thread, in one transaction on the only write
    /// connection (committed when it returns `Ok`), with the clock.
    pub(crate) fn write<T, F>(&self, change: F) -> Pending<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Db, &dyn Clock) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_raw(move |writer, clock| writer.tx(|db| change(db, clock)))
    }

    /// As [`Store::write`], with the connection itself (for more than one transaction).
    fn write_raw<T, F>(&self, change: F) -> Pending<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer, &dyn Clock) -> Result<T, StoreError> + Send + 'static,
    {
        self.send(|reply| Command::Run(Box::new(move |writer, clock| drop(reply.send(change(writer, clock))))))
    }

    /// A kiosk calls for someone; calls are kept in memory (nothing about the visitor).
    pub fn call_help(&self, kiosk: String, screen: String) -> Pending<HelpCall> {
        self.send(|reply| Command::CallHelp { kiosk, screen, reply })
    }

    /// A staff member goes; a second answer gets `StoreError::Help(HelpError::Gone)`.
    pub fn answer_help(&self, id: u64) -> Pending<HelpCall> {
        self.send(|reply| Command::AnswerHelp { id, reply })
    }

    /// The kiosk's visit ended before anyone came.
    pub fn cancel_help(&self, kiosk: String) {
        let _ = self.tx.send(Command::CancelHelp { kiosk });
    }

    /// Open calls, oldest first.
    pub fn open_help(&self) -> Pending<Vec<HelpCall>> {
        self.send(Command::OpenHelp)
    }
}

mod cluster;
pub use cluster::Cluster;
#[cfg(test)]
mod clock_tests;
#[cfg(test)]
mod open_tests;
#[cfg(test)]
mod shared_tests;
#[cfg(test)]
pub(crate) mod site_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;
