//! Durable storage in SQLite. One thread owns the only write connection and runs
//! commands sent to it; readers open their own read-only connections (WAL). Every
//! change is published as a [`DomainEvent`] on a broadcast channel.

mod accounts;
mod calls;
mod day;
mod follow;
mod open;
mod read;
mod report;
pub mod schema;
mod write;

pub use accounts::{
    accounts, audit_log, audit_page, staff, staff_by_id, staff_names, AccountSummary, AuditEntry, AuditPage,
    AuditPlace, Role, StaffAccount,
};
pub use calls::{board_key, calls_after, last_calls, BoardCall, SHOWN};
pub use follow::{follow_hash, follow_ticket, is_follow_token, service_day_now, FollowTicket};
pub use read::{open_tickets, ticket_by_id, ticket_by_token, ReadPool, TicketRow};
pub use report::{kept as report_kept, visits as report_visits, Purged};
pub use write::{Audit, Change, IssuedTicket};

use crate::clock::{Clock, SystemClock};
use crate::core::help::{HelpCall, HelpCalls, HelpError};
use crate::core::journey::TicketRequest;
use crate::core::queue::{Status, TransitionError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use tokio::sync::{broadcast, oneshot};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
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
}

/// A change run on the storage thread, with its connection and clock.
type Job = Box<dyn FnOnce(&mut Connection, &dyn Clock) + Send>;

/// A cheap, clonable handle to the storage thread.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Command>,
    events: broadcast::Sender<DomainEvent>,
    path: PathBuf,
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
        let (tx, rx) = mpsc::channel();
        let (events, _) = broadcast::channel(1024);
        let publisher = events.clone();
        std::thread::Builder::new()
            .name("store".into())
            .spawn(move || run(conn, rx, publisher, clock))
            .map_err(|e| StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        Ok(Store { tx, events, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Copies the database to `file` with SQLite's online backup (a consistent copy while
    /// tickets are issued), written beside it first and renamed, so no half copy stays.
    /// The copy holds password hashes: it is made readable by its owner only (0600) here,
    /// whatever the umask of whoever runs it.
    pub fn backup_to(&self, file: &Path) -> Result<(), StoreError> {
        use std::os::unix::fs::OpenOptionsExt;
        let source = Connection::open_with_flags(&self.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let partial = file.with_extension("partial");
        let at = |path: &Path| {
            let path = path.to_path_buf();
            move |e| StoreError::File(path, e)
        };
        // A partial copy left by an interrupted backup: made again from the start.
        match std::fs::remove_file(&partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(at(&partial)(e)),
            _ => {}
        }
        // SQLite writes into the file as it is, so it keeps the mode it is created with.
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial).map_err(at(&partial))?;
        if let Err(e) = source.backup(rusqlite::MAIN_DB, &partial, None::<fn(rusqlite::backup::Progress)>) {
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
        std::fs::rename(&partial, file).map_err(at(file))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.events.subscribe()
    }

    /// A pool of read-only connections to the same database.
    pub fn reader(&self) -> ReadPool {
        ReadPool::new(self.path.clone())
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
        let events = self.events.clone();
        self.write(move |conn, clock| {
            let (day, closed) = day::open_next(conn, clock)?;
            let _ = events.send(DomainEvent::DayOpened { day: day.to_string(), closed });
            Ok((day, closed))
        })
    }

    /// Makes a new board key (the board's old address stops working) and returns it.
    pub fn new_board_key(&self) -> Pending<String> {
        self.write(|conn, _| {
            let key = write::new_token();
            calls::set_board_key(conn, &key)?;
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

    /// Runs `change` on the storage thread (with the only write connection and the clock).
    pub(crate) fn write<T, F>(&self, change: F) -> Pending<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &dyn Clock) -> Result<T, StoreError> + Send + 'static,
    {
        self.send(|reply| Command::Run(Box::new(move |conn, clock| drop(reply.send(change(conn, clock))))))
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

fn run(
    mut conn: Connection,
    rx: mpsc::Receiver<Command>,
    events: broadcast::Sender<DomainEvent>,
    clock: Arc<dyn Clock>,
) {
    let clock = clock.as_ref();
    let publish = |e: DomainEvent| {
        let _ = events.send(e);
    };
    let mut help = HelpCalls::default();
    for command in rx {
        match command {
            Command::Issue(request, reply) => {
                let result = write::issue(&mut conn, &request, clock);
                if let Ok(t) = &result {
                    publish(DomainEvent::TicketIssued { id: t.id, number: t.number.clone() });
                }
                let _ = reply.send(result);
            }
            Command::Act { id, change, reply } => {
                let _ = reply.send(acted(write::act(&mut conn, clock, id, &change), &publish));
            }
            Command::CallNext { desk, queue, audit, reply } => {
                let _ = reply.send(acted(write::call_next(&mut conn, clock, &desk, queue, audit), &publish));
            }
            Command::Run(change) => change(&mut conn, clock),
            Command::CallHelp { kiosk, screen, reply } => {
                // A repeated call is published too: the screen it names may have changed.
                let (call, _) = help.call(&kiosk, &screen, clock.now_ms());
                publish(DomainEvent::HelpCalled { id: call.id, kiosk: call.kiosk.clone() });
                let _ = reply.send(Ok(call));
            }
            Command::AnswerHelp { id, reply } => {
                let result = help.answer(id).map_err(StoreError::from);
                if let Ok(c) = &result {
                    publish(DomainEvent::HelpAnswered { id: c.id, kiosk: c.kiosk.clone() });
                }
                let _ = reply.send(result);
            }
            Command::CancelHelp { kiosk } => {
                if let Some(c) = help.cancel(&kiosk) {
                    publish(DomainEvent::HelpCancelled { id: c.id, kiosk: c.kiosk });
                }
            }
            Command::OpenHelp(reply) => {
                let _ = reply.send(Ok(help.open().to_vec()));
            }
        }
    }
}

/// Publishes a committed change (and its call), and keeps the ticket for the reply.
fn acted(result: Result<write::Acted, StoreError>, publish: &dyn Fn(DomainEvent)) -> Result<TicketRow, StoreError> {
    let (row, call) = result?;
    publish(changed(&row));
    if let Some(call) = call {
        publish(DomainEvent::Called(call));
    }
    Ok(row)
}

fn changed(t: &TicketRow) -> DomainEvent {
    DomainEvent::TicketChanged { id: t.id, number: t.number.clone(), status: t.status, desk: t.desk.clone() }
}

#[cfg(test)]
mod clock_tests;
#[cfg(test)]
mod open_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;
