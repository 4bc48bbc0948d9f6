//! The storage thread: runs the commands sent to a store, each change in one
//! transaction, and publishes what was committed (announced to the site's other
//! processes in the same transaction, on PostgreSQL).

use super::writer::Writer;
use super::{day, notify, write, Command, DomainEvent, StoreError, TicketRow};
use crate::clock::Clock;
use crate::core::help::HelpCalls;
use std::sync::{mpsc, Arc};
use tokio::sync::broadcast;

/// What the storage thread is given.
pub(super) struct Worker {
    pub writer: Writer,
    pub events: broadcast::Sender<DomainEvent>,
    pub clock: Arc<dyn Clock>,
    /// This store's name in the site's announcements.
    pub origin: u64,
}

pub(super) fn run(worker: Worker, rx: mpsc::Receiver<Command>) {
    let Worker { mut writer, events, clock, origin } = worker;
    let clock = clock.as_ref();
    let publish = |e: DomainEvent| {
        let _ = events.send(e);
    };
    let mut help = HelpCalls::default();
    for command in rx {
        match command {
            Command::Issue(request, reply) => {
                let result = writer.tx(|db| {
                    let t = write::issue(db, &request, clock)?;
                    notify::announce(db, origin, &[issued(&t)])?;
                    Ok(t)
                });
                if let Ok(t) = &result {
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
