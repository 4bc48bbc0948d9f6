//! The storage thread: runs the commands sent to a store, each change in one
//! transaction, and publishes what was committed (announced to the site's other
//! processes in the same transaction, on PostgreSQL).

use super::notify::HelpSync;
use super::series::{LocalSeries, STAY_LOCAL};
use super::writer::Writer;
use super::{day, notify, write, Command, DomainEvent, StoreError, TicketRow};
use crate::clock::Clock;
use crate::core::help::HelpCalls;
use std::sync::{mpsc, Arc};
use std::time::Instant;
use tokio::sync::broadcast;

/// What the storage thread is given.
pub(super) struct Worker {
    pub writer: Writer,
    pub events: broadcast::Sender<DomainEvent>,
    pub clock: Arc<dyn Clock>,
    /// This store's name in the site's announcements.
    pub origin: u64,
    /// On a site, with `[site] local_series`: where tickets go while the site is away.
    pub local: Option<LocalSeries>,
}

/// How often a kiosk holding local tickets tries the site again while nobody asks anything.
const RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether a failure is the site's link (no answer, connection closed or refused, the
/// server shutting down or starting: SQLSTATE classes 08 and 57P), not the database
/// refusing the change.
pub(super) fn link_lost(e: &StoreError) -> bool {
    let StoreError::Postgres(pe) = e else { return false };
    match pe.as_db_error() {
        None => true,
        Some(db) => ["08", "57P"].iter().any(|class| db.code().code().starts_with(class)),
    }
}

pub(super) fn run(worker: Worker, rx: mpsc::Receiver<Command>) {
    let Worker { mut writer, events, clock, origin, mut local } = worker;
    let clock = clock.as_ref();
    let publish = |e: DomainEvent| {
        let _ = events.send(e);
    };
    // On a site, each process numbers its calls apart from the others' (20 random bits up).
    let mut help = match writer {
        Writer::Sqlite(_) => HelpCalls::default(),
        Writer::Postgres(..) => HelpCalls::numbered_from((origin & 0xF_FFFF) << 32),
    };
    let mut away = Away::default();
    if let (Writer::Postgres(None, _), Some(series)) = (&writer, local.as_ref()) {
        away.gone(series, clock);
    }
    loop {
        let waiting = local.as_mut().is_some_and(LocalSeries::has_waiting);
        let command = if waiting {
            match rx.recv_timeout(RETRY) {
                Ok(command) => Some(command),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(command) => Some(command),
                Err(_) => return,
            }
        };
        if let Some(series) = local.as_mut().filter(|_| waiting && (command.is_none() || !away.stay())) {
            match series.hand_over(&mut writer, origin) {
                Ok(handed) => {
                    away.back(series);
                    handed.into_iter().for_each(publish);
                }
                Err(e) => away.lost(series, &e, clock),
            }
        }
        let Some(command) = command else { continue };
        match command {
            Command::Issue(request, reply) => {
                let mut on_site = || {
                    writer.tx(|db| {
                        let t = write::issue(db, &request, clock)?;
                        notify::announce(db, origin, &[issued(&t)])?;
                        Ok(t)
                    })
                };
                let result = match local.as_mut() {
                    Some(series) if away.stay() => series.issue(&request, clock),
                    Some(series) => match on_site() {
                        Err(e) if link_lost(&e) => {
                            away.lost(series, &e, clock);
                            series.issue(&request, clock)
                        }
                        done => {
                            away.back(series);
                            done
                        }
                    },
                    None => on_site(),
                };
                if let Some(t) = result.as_ref().ok().filter(|t| !t.local) {
                    publish(issued(t));
                }
                let _ = reply.send(result);
            }
            Command::Act { id, change, reply } => {
                let result = writer.tx(|db| announced(db, origin, write::act(db, clock, id, &change)));
                let _ = reply.send(acted(result, &publish));
            }
            Command::CallNext { desk, queue, audit, reply } => {
                // The day moves on first, in its own transaction: kept even when nobody waits.
                let called = writer.tx(|db| day::current(db, clock)).and_then(|_| {
                    writer.tx(|db| announced(db, origin, write::call_next(db, clock, &desk, queue, audit)))
                });
                let _ = reply.send(acted(called, &publish));
            }
            Command::Run(change) => change(&mut writer, clock),
            Command::CallHelp { kiosk, screen, reply } => {
                // A repeated call is published too: the screen it names may have changed.
                let (call, _) = help.call(&kiosk, &screen, clock.now_ms());
                publish(DomainEvent::HelpCalled { id: call.id, kiosk: call.kiosk.clone() });
                tell_site(&mut writer, &away, origin, HelpSync::Called(call.clone()));
                let _ = reply.send(Ok(call));
            }
            Command::AnswerHelp { id, reply } => {
                let result = help.answer(id).map_err(StoreError::from);
                if let Ok(c) = &result {
                    publish(DomainEvent::HelpAnswered { id: c.id, kiosk: c.kiosk.clone() });
                    tell_site(&mut writer, &away, origin, HelpSync::Answered { id: c.id, kiosk: c.kiosk.clone() });
                }
                let _ = reply.send(result);
            }
            Command::CancelHelp { kiosk } => {
                if let Some(c) = help.cancel(&kiosk) {
                    publish(DomainEvent::HelpCancelled { id: c.id, kiosk: c.kiosk.clone() });
                    tell_site(&mut writer, &away, origin, HelpSync::Cancelled { kiosk: c.kiosk });
                }
            }
            Command::SiteHelp(sync) => heard_help(&mut help, sync, &publish),
            Command::OpenHelp(reply) => {
                let _ = reply.send(Ok(help.open().to_vec()));
            }
        }
    }
}

/// Tells the site's other processes what happened to a call for help (on a site only; a
/// call told while the server is away stays with this process).
fn tell_site(writer: &mut Writer, away: &Away, origin: u64, sync: HelpSync) {
    // While the link is known lost, no connection attempt (its timeout would hold the
    // storage thread, and the tickets behind it, for seconds).
    if matches!(writer, Writer::Postgres(..)) && !away.stay() {
        let _ = writer.tx(|db| notify::announce_help(db, origin, &sync));
    }
}

/// What another process of the site did with a call: mirrored here, and published to
/// this process's consoles and kiosk.
fn heard_help(help: &mut HelpCalls, sync: HelpSync, publish: &dyn Fn(DomainEvent)) {
    match sync {
        HelpSync::Called(call) => {
            let (id, kiosk) = (call.id, call.kiosk.clone());
            help.mirror(call);
            publish(DomainEvent::HelpCalled { id, kiosk });
        }
        HelpSync::Answered { id, .. } => {
            if let Ok(c) = help.answer(id) {
                publish(DomainEvent::HelpAnswered { id: c.id, kiosk: c.kiosk });
            }
        }
        HelpSync::Cancelled { kiosk } => {
            if let Some(c) = help.cancel(&kiosk) {
                publish(DomainEvent::HelpCancelled { id: c.id, kiosk: c.kiosk });
            }
        }
    }
}

/// The link's state as the storage thread sees it.
#[derive(Default)]
struct Away {
    /// Until when tickets go straight to the local series.
    until: Option<Instant>,
}

impl Away {
    fn stay(&self) -> bool {
        self.until.is_some_and(|t| Instant::now() < t)
    }

    fn lost(&mut self, series: &LocalSeries, e: &StoreError, clock: &dyn Clock) {
        if link_lost(e) {
            self.gone(series, clock);
        } else if let Ok(mut s) = series.state.lock() {
            s.problem = Some(e.to_string());
        }
    }

    /// The site cannot be reached: tickets go to the local series for a while.
    fn gone(&mut self, series: &LocalSeries, clock: &dyn Clock) {
        self.until = Some(Instant::now() + STAY_LOCAL);
        if let Ok(mut s) = series.state.lock() {
            s.away_since.get_or_insert(clock.now_ms());
            s.problem = None;
        }
    }

    fn back(&mut self, series: &LocalSeries) {
        self.until = None;
        if let Ok(mut s) = series.state.lock() {
            s.away_since = None;
            s.problem = None;
        }
    }
}

fn issued(t: &write::IssuedTicket) -> DomainEvent {
    DomainEvent::TicketIssued { id: t.id, number: t.number.clone() }
}

/// The events of a change: the ticket's, then the board's call when it was one.
fn events_of((row, call): &write::Acted) -> Vec<DomainEvent> {
    let changed = DomainEvent::TicketChanged {
        id: row.id,
        number: row.number.clone(),
        status: row.status,
        desk: row.desk.clone(),
    };
    std::iter::once(changed).chain(call.clone().map(DomainEvent::Called)).collect()
}

/// A change, announced to the site in its own transaction.
fn announced(
    db: &dyn super::sql::Db,
    origin: u64,
    result: Result<write::Acted, StoreError>,
) -> Result<write::Acted, StoreError> {
    let done = result?;
    notify::announce(db, origin, &events_of(&done))?;
    Ok(done)
}

/// Publishes a committed change (and its call), and keeps the ticket for the reply.
fn acted(result: Result<write::Acted, StoreError>, publish: &dyn Fn(DomainEvent)) -> Result<TicketRow, StoreError> {
    let done = result?;
    for event in events_of(&done) {
        publish(event);
    }
    Ok(done.0)
}
